package adopt

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"

	"gopkg.in/yaml.v3"

	"github.com/arrakis/infrastructure/internal/config"
)

// adoptedKey is where the settings live in a stack file.
const adoptedKey = config.Namespace + ":adopted"

// WriteStackFile records a in the stack file at path, under
// arrakis:adopted, replacing what was there; every other line, comments
// included, stays.
func WriteStackFile(path string, a config.Adopted, origin string) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	out, err := withAdopted(b, a, origin)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return os.WriteFile(path, out, info.Mode().Perm())
}

// withAdopted is a stack file's content with the adopted settings set.
func withAdopted(file []byte, a config.Adopted, origin string) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(file, &doc); err != nil {
		return nil, err
	}
	if len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("not a stack file: no top-level mapping")
	}
	cfg := mappingValue(doc.Content[0], "config")
	if cfg == nil {
		return nil, fmt.Errorf("not a stack file: no config mapping")
	}
	// JSON first, so the keys are the config's own names.
	raw, err := json.Marshal(a)
	if err != nil {
		return nil, err
	}
	var generic map[string]any
	if err := json.Unmarshal(raw, &generic); err != nil {
		return nil, err
	}
	prune(generic)
	var value yaml.Node
	if err := value.Encode(generic); err != nil {
		return nil, err
	}
	keyNode := &yaml.Node{Kind: yaml.ScalarNode, Value: adoptedKey,
		HeadComment: "Kept as Terraform made it, so taking production over replaces nothing (" + origin + ").\n" +
			"Remove an entry to let the program change it: `make plan` and `make adopt` then show what that replaces."}
	for i := 0; i+1 < len(cfg.Content); i += 2 {
		if cfg.Content[i].Value == adoptedKey {
			cfg.Content[i], cfg.Content[i+1] = keyNode, &value
			return encode(&doc)
		}
	}
	cfg.Content = append(cfg.Content, keyNode, &value)
	return encode(&doc)
}

func mappingValue(m *yaml.Node, k string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == k && m.Content[i+1].Kind == yaml.MappingNode {
			return m.Content[i+1]
		}
	}
	return nil
}

// prune drops empty settings, so only what is kept is written.
func prune(m map[string]any) {
	for k, v := range m {
		switch x := v.(type) {
		case string:
			if x == "" {
				delete(m, k)
			}
		case nil:
			delete(m, k)
		case map[string]any:
			prune(x)
			if len(x) == 0 {
				delete(m, k)
			}
		}
	}
}

func encode(doc *yaml.Node) ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), enc.Close()
}
