package mock

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/arrakis/infrastructure/internal/plan/token"
)

// invokes are the answers for every function the program calls.
var invokes = map[string]func(r *Recorder, args resource.PropertyMap) (resource.PropertyMap, error){
	token.GetSecrets:        getSecrets,
	token.GetSecretVersions: getSecretVersions,
	token.GetCallerIdentity: func(r *Recorder, _ resource.PropertyMap) (resource.PropertyMap, error) {
		return resource.NewPropertyMapFromMap(map[string]any{
			"accountId": Account,
			"arn":       fmt.Sprintf("arn:aws:iam::%s:user/offline-plan", Account),
			"userId":    "AIDAOFFLINEPLAN",
			"id":        Account,
		}), nil
	},
	token.GetRegion: func(r *Recorder, _ resource.PropertyMap) (resource.PropertyMap, error) {
		return resource.NewPropertyMapFromMap(map[string]any{
			"name": r.Region, "id": r.Region, "region": r.Region,
			"endpoint": "ec2." + r.Region + ".amazonaws.com", "description": r.Region,
		}), nil
	},
	token.GetPartition: func(r *Recorder, _ resource.PropertyMap) (resource.PropertyMap, error) {
		return resource.NewPropertyMapFromMap(map[string]any{
			"partition": "aws", "dnsSuffix": "amazonaws.com", "id": "aws", "reverseDnsPrefix": "com.amazonaws",
		}), nil
	},
	token.GetOpenIDConnectProvider: getOpenIDConnectProvider,
	token.GetRouteTable: func(r *Recorder, args resource.PropertyMap) (resource.PropertyMap, error) {
		subnet := str(args, "subnetId")
		rtb, ok := r.subnets[subnet]
		if !ok {
			return nil, fmt.Errorf("mock: no route table is associated with subnet %q", subnet)
		}
		vpc := ""
		if len(r.vpcs) > 0 {
			vpc = r.vpcs[len(r.vpcs)-1]
		}
		return resource.NewPropertyMapFromMap(map[string]any{
			"id": rtb, "routeTableId": rtb, "subnetId": subnet, "vpcId": vpc,
			"arn": fmt.Sprintf("arn:aws:ec2:%s:%s:route-table/%s", r.Region, Account, rtb),
		}), nil
	},
}

// getOpenIDConnectProvider answers GetOpenIDConnectProvider for an ARN of
// the mock's account: a provider for the URL the ARN names (IAM reports it
// without its scheme) that accepts the STS audience. Any other ARN is not
// found, as IAM answers.
func getOpenIDConnectProvider(_ *Recorder, args resource.PropertyMap) (resource.PropertyMap, error) {
	arn := str(args, "arn")
	host, ok := strings.CutPrefix(arn, fmt.Sprintf("arn:aws:iam::%s:oidc-provider/", Account))
	if !ok || host == "" {
		return nil, fmt.Errorf("mock: NoSuchEntity: OpenIDConnect provider not found for arn %q", arn)
	}
	return resource.NewPropertyMapFromMap(map[string]any{
		"arn": arn, "id": arn, "url": host,
		"clientIdLists": []any{"sts.amazonaws.com"}, "thumbprintLists": []any{}, "tags": map[string]any{},
	}), nil
}
