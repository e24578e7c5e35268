// Package component holds what every domain component does the same way:
// building its children step by step, each failure naming the component and
// the step.
package component

import "fmt"

// Step is one part of a component: what it creates, and the function that
// creates it.
type Step struct {
	What string
	Do   func() error
}

// Build runs the steps in order and stops at the first failure, which reads
// "<kind> <name>: creating <what>: <cause>".
func Build(kind, name string, steps ...Step) error {
	for _, s := range steps {
		if err := s.Do(); err != nil {
			return fmt.Errorf("%s %s: creating %s: %w", kind, name, s.What, err)
		}
	}
	return nil
}
