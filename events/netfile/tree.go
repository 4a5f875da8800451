package netfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The loader first parses the file into a tree of nodes that keeps object keys in file order
// and numbers as their literal text. Decoding the tree by hand, instead of unmarshalling into
// structs, lets every error name the JSON path and show the offending value as written, and
// catches duplicate keys, which encoding/json silently collapses.

type kind uint8

const (
	kindNull kind = iota
	kindBool
	kindNumber
	kindString
	kindArray
	kindObject
)

func (k kind) String() string {
	return [...]string{"null", "a boolean", "a number", "a string", "an array", "an object"}[k]
}

type node struct {
	kind  kind
	text  string   // the literal of a number, the value of a string
	b     bool     // the value of a boolean
	keys  []string // object keys, in file order
	elems []*node  // object values (parallel to keys) or array elements
}

// maxDepth bounds nesting; the schema needs 6 levels.
const maxDepth = 32

// parseTree parses data as exactly one JSON value.
func parseTree(data []byte) (*node, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	n, err := parseValue(dec, 0)
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	if err != nil {
		return nil, syntaxError(data, dec.InputOffset(), err)
	}
	end := dec.InputOffset()
	if _, err := dec.Token(); err != io.EOF {
		if err == nil {
			err = errors.New("unexpected data after the top-level value")
			end += int64(len(data[end:]) - len(bytes.TrimLeft(data[end:], " \t\r\n")))
		} else {
			end = dec.InputOffset()
		}
		return nil, syntaxError(data, end, err)
	}
	return n, nil
}

func parseValue(dec *json.Decoder, depth int) (*node, error) {
	tok, err := dec.Token()
	if err != nil {
		if err == io.EOF {
			return nil, io.ErrUnexpectedEOF
		}
		return nil, err
	}
	return parseFrom(dec, tok, depth)
}

func parseFrom(dec *json.Decoder, tok json.Token, depth int) (*node, error) {
	switch t := tok.(type) {
	case nil:
		return &node{kind: kindNull}, nil
	case bool:
		return &node{kind: kindBool, b: t}, nil
	case json.Number:
		return &node{kind: kindNumber, text: string(t)}, nil
	case string:
		return &node{kind: kindString, text: t}, nil
	case json.Delim:
		if depth >= maxDepth {
			return nil, fmt.Errorf("values nested more than %d deep", maxDepth)
		}
		if t == '[' {
			n := &node{kind: kindArray}
			for dec.More() {
				e, err := parseValue(dec, depth+1)
				if err != nil {
					return nil, err
				}
				n.elems = append(n.elems, e)
			}
			_, err := dec.Token() // ']'
			return n, err
		}
		n := &node{kind: kindObject}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return nil, err
			}
			key := kt.(string) // the decoder only yields string keys inside objects
			v, err := parseValue(dec, depth+1)
			if err != nil {
				return nil, err
			}
			n.keys = append(n.keys, key)
			n.elems = append(n.elems, v)
		}
		_, err := dec.Token() // '}'
		return n, err
	}
	return nil, fmt.Errorf("unexpected token %v", tok)
}

// syntaxError turns a decoder error at offset off into one that gives the line and column.
func syntaxError(data []byte, off int64, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off = se.Offset
	}
	off = min(max(off, 0), int64(len(data)))
	line := 1 + bytes.Count(data[:off], []byte{'\n'})
	col := int(off) - bytes.LastIndexByte(data[:off], '\n')
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if err == io.ErrUnexpectedEOF {
		msg = "unexpected end of file"
	}
	return fmt.Errorf("%d:%d: invalid JSON: %s", line, col, msg)
}

// show returns n as it would appear in the file, shortened to about 60 characters, for error
// messages.
func (n *node) show() string {
	var b strings.Builder
	n.write(&b, 60)
	s := b.String()
	if len(s) > 60 {
		cut := 57
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "..."
	}
	return s
}

func (n *node) write(b *strings.Builder, limit int) {
	if b.Len() > limit {
		return
	}
	switch n.kind {
	case kindNull:
		b.WriteString("null")
	case kindBool:
		b.WriteString(strconv.FormatBool(n.b))
	case kindNumber:
		b.WriteString(n.text)
	case kindString:
		b.WriteString(strconv.Quote(n.text))
	case kindArray:
		b.WriteByte('[')
		for i, e := range n.elems {
			if i > 0 {
				b.WriteString(", ")
			}
			e.write(b, limit)
		}
		b.WriteByte(']')
	case kindObject:
		b.WriteByte('{')
		for i, e := range n.elems {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(strconv.Quote(n.keys[i]))
			b.WriteString(": ")
			e.write(b, limit)
		}
		b.WriteByte('}')
	}
}
