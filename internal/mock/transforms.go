package mock

import (
	"context"
	"fmt"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/proto"
)

// Child is a resource a remote component creates inside its plugin (the
// awsx VPC's subnets, say), which under mocks would not exist at all.
type Child struct {
	Type, Name string
	// Parent is the URN of the child's parent.
	Parent string
	Inputs resource.PropertyMap
}

// transformChildren runs the transforms the program registered on a remote
// component over the children a model of its plugin says it creates, as the
// engine does when the plugin registers them: each transform, in order,
// through the program's own callback server, may rewrite a child's inputs.
func transformChildren(callbacks []*pulumirpc.Callback, children []Child) ([]Child, error) {
	out := make([]Child, 0, len(children))
	for _, c := range children {
		for _, cb := range callbacks {
			var err error
			if c.Inputs, err = transform(cb, c); err != nil {
				return nil, fmt.Errorf("transform of %s %s: %w", c.Type, c.Name, err)
			}
		}
		out = append(out, c)
	}
	return out, nil
}

// transform asks the program's callback server to transform one child and
// returns its inputs as the transform leaves them.
func transform(cb *pulumirpc.Callback, c Child) (resource.PropertyMap, error) {
	conn, err := grpc.NewClient(cb.GetTarget(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	opts := plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, KeepResources: true}
	props, err := plugin.MarshalProperties(c.Inputs, opts)
	if err != nil {
		return nil, err
	}
	req, err := proto.Marshal(&pulumirpc.TransformRequest{
		Type: c.Type, Name: c.Name, Custom: true, Parent: c.Parent,
		Properties: props, Options: &pulumirpc.TransformResourceOptions{},
	})
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	resp, err := pulumirpc.NewCallbacksClient(conn).Invoke(ctx, &pulumirpc.CallbackInvokeRequest{Token: cb.GetToken(), Request: req})
	if err != nil {
		return nil, err
	}
	var res pulumirpc.TransformResponse
	if err := proto.Unmarshal(resp.GetResponse(), &res); err != nil {
		return nil, err
	}
	if res.GetProperties() == nil {
		return c.Inputs, nil // the transform left the child alone
	}
	return plugin.UnmarshalProperties(res.GetProperties(), opts)
}
