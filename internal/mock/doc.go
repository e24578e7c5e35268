// Package mock is the Pulumi mock engine every test and the offline plan run
// the program under. It records each registered resource (type, name, parent,
// inputs with secrets kept, and options such as protect), answers the invokes
// the program makes, and returns realistic outputs: ids, ARNs and endpoints of
// the right shape, and the outputs of the awsx VPC, a remote component whose
// children never exist under mocks.
//
// Outputs are deterministic: the same program and config give the same ids,
// so plans can be compared byte for byte.
package mock
