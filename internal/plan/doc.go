// Package plan shows what a stack would build without any cloud account: it
// runs the program — the same one `pulumi up` runs — under the mock engine
// for a stack's config files and turns what was registered into a Plan, which
// renders as a tree for people, as one JSON document for tools, and as a
// resource-by-resource comparison of two stacks.
//
// # JSON interface
//
// The document is stable; fields are only ever added.
//
//	{
//	  "project": "arrakis",
//	  "stack": "production",
//	  "resources": [{
//	    "urn": "urn:pulumi:production::arrakis::…",
//	    "type": "aws:rds/instance:Instance",
//	    "name": "arrakis-postgres",          // logical name
//	    "id": "db-…",                        // the (placeholder) cloud id; omitted for components
//	    "parent": "urn:…",                   // parent component URN; "" for top-level resources
//	    "custom": true,                      // false for component resources
//	    "remote": true,                      // only on remote components (the awsx VPC)
//	    "read": true,                        // only on resources read, not created (the stack reference)
//	    "protect": true,
//	    "retainOnDelete": false,
//	    "deleteBeforeReplace": true,         // omitted when false
//	    "dependsOn": ["urn:…"],              // sorted
//	    "ignoreChanges": ["desiredCount"],   // omitted when empty
//	    "inputs": {…},                       // input properties by their Pulumi schema names
//	    "secretInputs": ["password"]         // paths of the inputs shown as "[secret]"
//	  }],
//	  "outputs": {"vpcId": "vpc-…", "rdsEndpoint": "[secret]"},
//	  "cost": {                              // added by `plan` (internal/cli), not by this package
//	    "stack": "production", "currency": "USD", "region": "us-east-1",
//	    "pricesAsOf": "2026-11-26", "hoursPerMonth": 730,
//	    "lines": [{"resource": "ecs/service arrakis-api", "category": "Fargate",
//	               "basis": "2 × 0.5 vCPU/1 GB × 730 h on demand …", "monthly": 36.04,
//	               "assumption": true}],     // assumption omitted when false
//	    "total": 123.45, "assumptions": 4.56, // dollars a month, to the cent
//	    "notes": ["…"], "unpriced": [],
//	    "budget": 260                        // arrakis:cost.monthlyBudgetUsd
//	  }
//	}
//
// The "cost" field is internal/cost's Estimate. This package cannot add it
// itself (internal/cost imports plan), so the command line wraps the Plan in
// a cost.PricedPlan; Plan.WriteJSON alone writes the document without it.
//
// Every secret value, in inputs and outputs, is the string "[secret]".
// Resources are sorted by URN. Values the cloud would compute
// (ids, ARNs, endpoints) are deterministic placeholders of the right shape.
package plan
