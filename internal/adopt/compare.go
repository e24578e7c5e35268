package adopt

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"

	"github.com/arrakis/infrastructure/internal/plan"
	"github.com/arrakis/infrastructure/internal/plan/token"
)

// translator turns the placeholders the program's inputs hold (ids and ARNs
// of the mock) into the running resources' values, so the program's inputs
// compare with Terraform's attributes.
type translator struct {
	real map[string]string // placeholder -> running value
	made map[string]string // placeholder of a resource the program creates -> what it is
}

// outputAttrs are outputs whose placeholder other inputs carry, with the
// Terraform attribute of the same value.
var outputAttrs = map[string]string{
	"arn": "arn", "name": "name", "arnSuffix": "arn_suffix", "dnsName": "dns_name", "zoneId": "zone_id",
	"repositoryUrl": "repository_url", "address": "address", "endpoint": "endpoint", "keyId": "key_id",
	"primaryEndpointAddress": "primary_endpoint_address", "identifier": "identifier",
}

func newTranslator(ms []matched, m *matcher) *translator {
	tr := &translator{real: map[string]string{}, made: map[string]string{}}
	for _, t := range m.x.all {
		desc := "the new " + t.Type + " " + t.Name
		if t.ID != "" && !echoesInput(t, t.ID) {
			tr.made[t.ID] = desc
		}
		for k := range outputAttrs {
			if s, ok := t.Outputs[k].(string); ok && s != "" && !echoesInput(t, s) {
				tr.made[s] = desc
			}
		}
	}
	for _, mm := range ms {
		t, a := mm.target, mm.obj.Attrs
		if id := str(a, "id"); t.ID != "" && id != "" && !echoesInput(t, t.ID) {
			tr.real[t.ID] = id
		}
		for out, attr := range outputAttrs {
			if s, ok := t.Outputs[out].(string); ok && str(a, attr) != "" && !echoesInput(t, s) {
				tr.real[s] = str(a, attr)
			}
		}
	}
	// The awsx VPC's outputs, and the route tables the program looks up per
	// subnet.
	if v := m.x.vpc; v != nil {
		for _, mm := range ms {
			if mm.target.Type == token.VPC {
				if s, ok := v.Outputs["vpcId"].(string); ok {
					tr.real[s] = str(mm.obj.Attrs, "id")
				}
			}
		}
		placeholders := map[string]string{} // child subnet name -> placeholder id
		for _, k := range []string{"publicSubnetIds", "privateSubnetIds"} {
			typ := strings.TrimSuffix(k, "SubnetIds")
			for i, id := range plan.AsList(v.Outputs[k]) {
				if s, ok := id.(string); ok {
					placeholders[fmt.Sprintf("%s-%s-%d", v.Name, typ, i+1)] = s
				}
			}
		}
		for tfID, child := range m.subnets {
			if p := placeholders[child.Name]; p != "" {
				tr.real[p] = tfID
			}
		}
		subnetName := map[string]string{}
		for name, p := range placeholders {
			subnetName[p] = name
		}
		for rtb, subnet := range m.x.prog.RouteTables {
			name := subnetName[subnet]
			tr.made[rtb] = "the new route table " + name
			for _, mm := range ms {
				if mm.target.Type == token.RouteTable && mm.target.Name == name {
					tr.real[rtb] = str(mm.obj.Attrs, "id")
				}
			}
		}
	}
	return tr
}

// echoesInput reports whether v is one of the resource's own inputs (its
// name, say): a value the program chose, not a placeholder for one AWS
// chooses, so it is compared as it is.
func echoesInput(t *target, v string) bool {
	for _, in := range t.Inputs {
		if s, ok := in.(string); ok && s == v {
			return true
		}
	}
	return false
}

// value translates every placeholder in v.
func (tr *translator) value(v any) any {
	switch x := v.(type) {
	case string:
		if r, ok := tr.real[x]; ok {
			return r
		}
		if d, ok := tr.made[x]; ok {
			return "(" + d + ")"
		}
		return x
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = tr.value(e)
		}
		return out
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			out[k] = tr.value(e)
		}
		return out
	}
	return v
}

// attrNames are the Terraform attributes whose name is not the input's in
// snake case.
var attrNames = map[string]map[string]string{
	token.MetricAlarm:   {"name": "alarm_name"},
	token.ECRRepository: {"encryptionConfigurations": "encryption_configuration"},
	token.ECSCluster:    {"settings": "setting"},
	token.ECSService: {"capacityProviderStrategies": "capacity_provider_strategy", "loadBalancers": "load_balancer",
		"networkConfiguration": "network_configuration", "deploymentCircuitBreaker": "deployment_circuit_breaker"},
	token.ECSClusterCapacityProviders: {"defaultCapacityProviderStrategies": "default_capacity_provider_strategy"},
	token.Listener:                    {"defaultActions": "default_action"},
	token.TargetGroup:                 {"healthCheck": "health_check"},
	token.RDSParameterGroup:           {"parameters": "parameter"},
	token.ElastiCacheReplicationGroup: {"securityGroupIds": "security_group_ids"},
	token.LoadBalancer:                {"accessLogs": "access_logs"},
}

// skipped are inputs never compared: tags are rewritten by the provider's
// default tags on the first `up` anyway, and inline rules are separate
// resources in the program.
var skipped = map[string]bool{"tags": true, "tagsAll": true, "ingress": true, "egress": true}

// diff is what changes on a matched resource once the program manages it:
// the inputs whose change replaces it, and the others.
func (tr *translator) diff(mm matched) (replace, changes []string) {
	t, a := mm.target, mm.obj.Attrs
	forceNew := plan.ReplacedOnChange[t.Type]
	for _, k := range slices.Sorted(maps.Keys(t.Inputs)) {
		if skipped[k] || slices.Contains(t.IgnoreChanges, k) {
			continue
		}
		attr := snake(k)
		if n, ok := attrNames[t.Type][k]; ok {
			attr = n
		}
		tv, ok := a[attr]
		if !ok || tv == nil {
			continue // not an attribute of the running resource (a provider-side setting)
		}
		pv := tr.value(t.Inputs[k])
		if pv == secretShown || same(pv, tv) {
			continue // a secret compares by importing it, never by showing it
		}
		line := fmt.Sprintf("%s: %s → %s", k, show(tv), show(pv))
		if slices.Contains(forceNew, k) {
			replace = append(replace, line)
		} else {
			changes = append(changes, line)
		}
	}
	// A service moves between a launch type and capacity providers only by
	// being replaced.
	if t.Type == token.ECSService {
		if lt := str(a, "launch_type"); lt != "" && t.Inputs["launchType"] == nil {
			replace = append(replace, fmt.Sprintf("launchType: %q → none (capacity providers)", lt))
		}
	}
	return replace, changes
}

// secretShown is how the plan shows a secret input.
const secretShown = "[secret]"

// same reports whether the program's value (translated) is what the running
// resource has, for the parts the program sets.
func same(p, t any) bool {
	switch pv := p.(type) {
	case nil:
		return t == nil
	case bool, float64:
		// The state holds some of them as text ("true", "300").
		if tv, ok := t.(string); ok {
			return fmt.Sprint(pv) == tv
		}
		return p == t
	case string:
		switch tv := t.(type) {
		case string:
			return pv == tv || jsonEqual(pv, tv)
		case float64:
			return pv == fmt.Sprint(tv)
		}
		return false
	case map[string]any:
		if l, ok := t.([]any); ok && len(l) == 1 { // a block
			t = l[0]
		}
		tm, ok := t.(map[string]any)
		if !ok {
			return false
		}
		for k, v := range pv {
			if skipped[k] {
				continue
			}
			tv, ok := tm[snake(k)]
			if !ok {
				tv = tm[k] // a map of names the user chose (dimensions, options)
			}
			if !same(v, tv) {
				return false
			}
		}
		return true
	case []any:
		tl, _ := t.([]any)
		if len(pv) != len(tl) {
			return false
		}
		used := make([]bool, len(tl))
	next:
		for _, e := range pv {
			for i, te := range tl {
				if !used[i] && same(e, te) {
					used[i] = true
					continue next
				}
			}
			return false
		}
		return true
	}
	return false
}

// jsonEqual compares two JSON documents (policies) by value.
func jsonEqual(a, b string) bool {
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return false
	}
	xb, _ := json.Marshal(x)
	yb, _ := json.Marshal(y)
	return string(xb) == string(yb)
}

// show renders a value on one line, cut to a readable length.
func show(v any) string {
	var s string
	if str, ok := v.(string); ok {
		s = fmt.Sprintf("%q", str)
	} else {
		b, _ := json.Marshal(v)
		s = string(b)
	}
	if len(s) > 90 {
		s = s[:87] + "…"
	}
	return s
}

// snake turns an input name into its Terraform attribute (dbSubnetGroupName
// → db_subnet_group_name).
func snake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}
