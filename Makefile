# Arrakis infrastructure. `make` (or `make help`) lists the targets.

STACK ?= staging
GO    ?= go
# The image tag preview and up deploy, handed to the program as
# ARRAKIS_IMAGE_TAG and never written to a file. Empty keeps the tag the
# stack runs now (the program reads it from its previous deployment).
IMAGE_TAG ?=

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-17s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo "  Variables: STACK=$(STACK) (any stack with a Pulumi.<stack>.yaml)"

.PHONY: plan
plan: ## Show offline what STACK would build (no AWS account); JSON=1 for JSON, DIFF=<stack> to compare, FIRST_UP=1 for a new stack's first up
	$(GO) run . plan --stack $(STACK) $(if $(JSON),--json) $(if $(DIFF),--diff $(DIFF)) $(if $(FIRST_UP),--first-up)

.PHONY: policy
policy: ## Check STACK against the security and reliability policy (offline); fails on violations not written down as exceptions
	$(GO) run . policy --stack $(STACK)

.PHONY: cost
cost: ## Monthly cost estimate of STACK; fails above its arrakis:cost.monthlyBudgetUsd
	$(GO) run . cost --stack $(STACK)

.PHONY: bootstrap-plan
bootstrap-plan: ## Show offline what bootstrap/ would create: state, keys, boundary, CI roles (no AWS account); JSON=1 for JSON
	$(GO) run ./bootstrap plan --stack shared $(if $(JSON),--json)

.PHONY: bootstrap-policy
bootstrap-policy: ## The policy suite's IAM checks on bootstrap/'s plan (offline); fails on violations not written down as exceptions
	$(GO) run ./bootstrap policy --stack shared

.PHONY: diagram
diagram: ## Print STACK's architecture diagram (Mermaid) from its plan; README's is production's, redrawn by make readme
	$(GO) run . diagram --stack $(STACK)

.PHONY: readme
readme: ## Rewrite README's generated blocks (architecture diagram, cost figures) from the program
	$(GO) run . readme

.PHONY: adopt
adopt: ## Take a stack over from Terraform (offline): STACK=, TFSTATE=<terraform state pull output>, SG_RULES=<describe-security-group-rules output>, WRITE=1 to record arrakis:adopted
	@test -n "$(TFSTATE)" || { echo "TFSTATE=<file> is required: terraform state pull > tfstate.json"; exit 2; }
	$(GO) run . adopt --stack $(STACK) --tfstate $(TFSTATE) $(if $(SG_RULES),--sg-rules $(SG_RULES)) $(if $(WRITE),--write) $(if $(JSON),--json)

.PHONY: golden
golden: ## Refresh the committed plan snapshots (with their cost) after a reviewed change
	$(GO) test . -run 'TestPlanSnapshots|TestValuesThatReplaceNamedResourcesArePinned|TestAdoptedProductionPlanSnapshot' -update

.PHONY: build
build: ## Compile the program and every package
	$(GO) build ./...

.PHONY: test
test: ## Run every test under the Pulumi mock engine (no cloud, no credentials)
	$(GO) test ./...

.PHONY: lint
lint: ## gofmt check, go vet, staticcheck, actionlint on the workflows
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) tool staticcheck ./...
	$(GO) tool actionlint

.PHONY: fmt
fmt: ## Format the Go code
	gofmt -w $$(git ls-files '*.go')

.PHONY: preview
preview: ## pulumi preview of STACK (Pulumi CLI + AWS credentials); IMAGE_TAG=<tag> to deploy an image, else the running one stays
	ARRAKIS_IMAGE_TAG='$(IMAGE_TAG)' pulumi preview --stack $(STACK) --diff

.PHONY: up
up: ## pulumi up of STACK (Pulumi CLI + AWS credentials); IMAGE_TAG=<tag> to deploy an image, else the running one stays
	ARRAKIS_IMAGE_TAG='$(IMAGE_TAG)' pulumi up --stack $(STACK)

.PHONY: destroy
destroy: ## pulumi destroy of STACK (production refuses: its stateful resources are protected)
	pulumi destroy --stack $(STACK)
