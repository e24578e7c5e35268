package mock

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// fakeVPC answers for an awsx:ec2:Vpc. The component runs in the awsx plugin,
// so under mocks none of its children exist; the program only sees its
// outputs. They are derived from the inputs exactly as awsx lays out explicit
// cidrBlocks with the Auto strategy: per zone, one subnet per spec, in spec
// order (public before private). Subnet ids map to route table ids so the
// program's route-table lookups resolve.
//
// Resource-typed outputs (natGateways, routeTables, subnets, eips…) are
// resource references to children that do not exist here, so they are left
// out; nothing in the program reads them.
func (r *Recorder) fakeVPC(res *Resource, outs resource.PropertyMap) resource.PropertyMap {
	seed := res.Type + "::" + res.Name
	vpcID := "vpc-" + hexID(seed, 17)
	zones := stringList(res.Inputs, "availabilityZoneNames")

	ids := map[string][]any{"Public": {}, "Private": {}, "Isolated": {}}
	var layout []any
	if specs, ok := res.Inputs["subnetSpecs"]; ok && specs.IsArray() {
		for _, spec := range specs.ArrayValue() {
			if !spec.IsObject() {
				continue
			}
			obj := spec.ObjectValue()
			typ := str(obj, "type")
			layout = append(layout, spec.Mappable())
			for z := range zones {
				subnet := "subnet-" + hexID(fmt.Sprintf("%s/%s/%d", seed, typ, z), 17)
				ids[typ] = append(ids[typ], subnet)
				r.subnets[subnet] = "rtb-" + hexID(subnet, 17)
			}
		}
	}
	outs["vpcId"] = resource.NewProperty(vpcID)
	for typ, key := range map[string]string{"Public": "publicSubnetIds", "Private": "privateSubnetIds", "Isolated": "isolatedSubnetIds"} {
		outs[resource.PropertyKey(key)] = resource.NewPropertyValue(ids[typ])
	}
	outs["subnetLayout"] = resource.NewPropertyValue(layout)
	r.vpcs = append(r.vpcs, vpcID)
	return outs
}

func stringList(m resource.PropertyMap, k string) []string {
	v, ok := m[resource.PropertyKey(k)]
	if !ok || !v.IsArray() {
		return nil
	}
	var out []string
	for _, e := range v.ArrayValue() {
		if e.IsString() {
			out = append(out, e.StringValue())
		}
	}
	return out
}
