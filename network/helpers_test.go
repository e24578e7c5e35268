package network_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/arrakis/infrastructure/internal/mock"
	"github.com/arrakis/infrastructure/internal/stacktest"
)

func mapOf(k, v string) resource.PropertyMap {
	return resource.PropertyMap{resource.PropertyKey(k): resource.NewProperty(v)}
}

// groupID is the id of the security group with a logical name.
func groupID(t *testing.T, res *mock.Result, name string) string {
	t.Helper()
	return stacktest.One(t, res, sgType, name).ID
}
