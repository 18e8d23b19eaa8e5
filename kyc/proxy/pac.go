package proxy

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// A PAC file (proxy auto-config) is a JavaScript function FindProxyForURL(url, host).
// Windows evaluates it with its own engine (system_windows.go). Elsewhere KYC Desk
// evaluates it here, with a small interpreter for the part of JavaScript that PAC files
// written by IT departments use, rather than carrying a whole JavaScript engine:
//
//   - function declarations, var/let/const, if/else, for, while, break, continue,
//     return, blocks; ?:, &&, ||, !, comparisons (== != === !== < > <= >=), + - * / %,
//     = += -=, ++ --, typeof; string, number, boolean, null/undefined literals and
//     array literals; a.length, a[i]; the string methods toLowerCase, toUpperCase,
//     indexOf, lastIndexOf, substring, substr, charAt, split, startsWith, endsWith,
//     includes, trim;
//   - every standard PAC function: isPlainHostName, dnsDomainIs, localHostOrDomainIs,
//     isResolvable, isInNet, dnsResolve, convert_addr, myIpAddress, dnsDomainLevels,
//     shExpMatch, weekdayRange, timeRange, dateRange (day/month/year forms), alert.
//
// Anything else (regular expressions, objects, other built-ins such as Date) is
// reported as "unsupported in PAC file" with its position, and the resolver then falls
// back to the static settings or a direct connection and says so. Evaluation is
// bounded in steps, so a PAC file that loops forever cannot hang a call.

// pacCache keeps fetched and parsed PAC files for a few minutes.
var pacCache = struct {
	sync.Mutex
	m map[string]pacEntry
}{m: map[string]pacEntry{}}

type pacEntry struct {
	prog *pacProgram
	err  error
	at   time.Time
}

const pacTTL = 5 * time.Minute

// evalPACURL fetches (or reuses) the PAC file at pacURL and evaluates it for target.
func evalPACURL(ctx context.Context, pacURL string, target *url.URL) (string, error) {
	pacCache.Lock()
	e, ok := pacCache.m[pacURL]
	pacCache.Unlock()
	if !ok || time.Since(e.at) > pacTTL {
		src, err := fetchPAC(ctx, pacURL)
		if err != nil {
			e = pacEntry{err: fmt.Errorf("cannot fetch it: %w", err), at: time.Now()}
		} else {
			prog, err := parsePAC(src)
			e = pacEntry{prog: prog, err: err, at: time.Now()}
		}
		pacCache.Lock()
		pacCache.m[pacURL] = e
		pacCache.Unlock()
	}
	if e.err != nil {
		return "", e.err
	}
	return e.prog.FindProxyForURL(ctx, target, nil)
}

// ---------------------------------------------------------------------------------
// Lexer

type tokKind int

const (
	tEOF tokKind = iota
	tIdent
	tNum
	tStr
	tPunct
)

type token struct {
	kind tokKind
	text string
	num  float64
	pos  int // byte offset, for messages
}

var puncts = []string{"===", "!==", "==", "!=", "<=", ">=", "&&", "||", "++", "--", "+=", "-=",
	"(", ")", "{", "}", "[", "]", ",", ";", ".", "=", "!", "<", ">", "+", "-", "*", "/", "%", "?", ":"}

func lexPAC(src string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
		case strings.HasPrefix(src[i:], "//"):
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case strings.HasPrefix(src[i:], "/*"):
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				return nil, pacErr(src, i, "unterminated comment")
			}
			i += end + 4
		case c == '"' || c == '\'':
			var b strings.Builder
			j := i + 1
			for ; j < len(src) && src[j] != c; j++ {
				if src[j] == '\n' {
					return nil, pacErr(src, i, "unterminated string")
				}
				if src[j] == '\\' && j+1 < len(src) {
					j++
					switch src[j] {
					case 'n':
						b.WriteByte('\n')
					case 't':
						b.WriteByte('\t')
					case 'r':
						b.WriteByte('\r')
					default:
						b.WriteByte(src[j])
					}
					continue
				}
				b.WriteByte(src[j])
			}
			if j >= len(src) {
				return nil, pacErr(src, i, "unterminated string")
			}
			toks = append(toks, token{kind: tStr, text: b.String(), pos: i})
			i = j + 1
		case c >= '0' && c <= '9' || (c == '.' && i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9'):
			j := i
			for j < len(src) && (src[j] >= '0' && src[j] <= '9' || src[j] == '.' || src[j] == 'x' || src[j] == 'X' ||
				(src[j] >= 'a' && src[j] <= 'f') || (src[j] >= 'A' && src[j] <= 'F')) {
				j++
			}
			text := src[i:j]
			var n float64
			if strings.HasPrefix(strings.ToLower(text), "0x") {
				v, err := strconv.ParseUint(text[2:], 16, 64)
				if err != nil {
					return nil, pacErr(src, i, "bad number "+text)
				}
				n = float64(v)
			} else {
				v, err := strconv.ParseFloat(text, 64)
				if err != nil {
					return nil, pacErr(src, i, "bad number "+text)
				}
				n = v
			}
			toks = append(toks, token{kind: tNum, num: n, text: text, pos: i})
			i = j
		case c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			j := i
			for j < len(src) && (src[j] == '_' || src[j] == '$' || src[j] >= 'a' && src[j] <= 'z' ||
				src[j] >= 'A' && src[j] <= 'Z' || src[j] >= '0' && src[j] <= '9') {
				j++
			}
			toks = append(toks, token{kind: tIdent, text: src[i:j], pos: i})
			i = j
		default:
			found := false
			for _, p := range puncts {
				if strings.HasPrefix(src[i:], p) {
					toks = append(toks, token{kind: tPunct, text: p, pos: i})
					i += len(p)
					found = true
					break
				}
			}
			if !found {
				return nil, pacErr(src, i, fmt.Sprintf("unsupported character %q", c))
			}
		}
	}
	return append(toks, token{kind: tEOF, pos: len(src)}), nil
}

// pacErr reports a problem at a line of the PAC file.
func pacErr(src string, pos int, msg string) error {
	line := 1 + strings.Count(src[:min(pos, len(src))], "\n")
	return fmt.Errorf("PAC file line %d: %s", line, msg)
}

// ---------------------------------------------------------------------------------
// Parser: a tree of statements and expressions.

type (
	node interface{}
	stmt interface{}

	varStmt struct {
		names []string
		inits []node
	}
	ifStmt struct {
		cond      node
		then, els stmt
	}
	returnStmt struct{ e node }
	blockStmt  struct{ list []stmt }
	exprStmt   struct{ e node }
	forStmt    struct {
		init stmt
		cond node
		post node
		body stmt
	}
	breakStmt    struct{}
	continueStmt struct{}
	funcStmt     struct{ fn *jsFunc }

	litExpr   struct{ v any }
	identExpr struct{ name string }
	arrayExpr struct{ elems []node }
	callExpr  struct {
		fn   node
		args []node
		pos  int
	}
	memberExpr struct {
		obj  node
		name string
		pos  int
	}
	indexExpr struct{ obj, idx node }
	unaryExpr struct {
		op string
		e  node
	}
	binaryExpr struct {
		op   string
		l, r node
	}
	condExpr   struct{ c, a, b node }
	assignExpr struct {
		target node
		op     string
		e      node
		pos    int
	}
	incExpr struct {
		target node
		delta  float64
		prefix bool
		pos    int
	}
)

type jsFunc struct {
	name   string
	params []string
	body   *blockStmt
}

type undefinedT struct{}

var undefined = undefinedT{}

type parser struct {
	src  string
	toks []token
	i    int
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) next() token { t := p.toks[p.i]; p.i++; return t }
func (p *parser) is(text string) bool {
	t := p.peek()
	return (t.kind == tPunct || t.kind == tIdent) && t.text == text
}
func (p *parser) accept(text string) bool {
	if p.is(text) {
		p.i++
		return true
	}
	return false
}
func (p *parser) expect(text string) error {
	if !p.accept(text) {
		return p.errf("expected %q", text)
	}
	return nil
}
func (p *parser) errf(format string, a ...any) error {
	t := p.peek()
	what := t.text
	if t.kind == tEOF {
		what = "end of file"
	}
	return pacErr(p.src, t.pos, fmt.Sprintf(format, a...)+" near "+strconv.Quote(what))
}

// pacProgram is a parsed PAC file.
type pacProgram struct {
	src  string
	body *blockStmt
}

func parsePAC(src string) (*pacProgram, error) {
	toks, err := lexPAC(src)
	if err != nil {
		return nil, err
	}
	p := &parser{src: src, toks: toks}
	var list []stmt
	for p.peek().kind != tEOF {
		s, err := p.statement()
		if err != nil {
			return nil, err
		}
		list = append(list, s)
	}
	prog := &pacProgram{src: src, body: &blockStmt{list: list}}
	found := false
	for _, s := range list {
		if f, ok := s.(*funcStmt); ok && f.fn.name == "FindProxyForURL" {
			found = true
		}
	}
	if !found {
		return nil, errors.New("the PAC file has no function FindProxyForURL")
	}
	return prog, nil
}

var reserved = map[string]bool{"function": true, "var": true, "let": true, "const": true, "if": true, "else": true,
	"return": true, "for": true, "while": true, "break": true, "continue": true, "true": true, "false": true,
	"null": true, "undefined": true, "typeof": true, "new": true, "switch": true, "do": true, "try": true,
	"this": true, "in": true, "instanceof": true, "delete": true, "throw": true, "with": true}

func (p *parser) ident() (string, error) {
	t := p.peek()
	if t.kind != tIdent || reserved[t.text] {
		return "", p.errf("expected a name")
	}
	p.i++
	return t.text, nil
}

func (p *parser) statement() (stmt, error) {
	t := p.peek()
	if t.kind == tIdent {
		switch t.text {
		case "function":
			p.i++
			name, err := p.ident()
			if err != nil {
				return nil, err
			}
			fn, err := p.funcRest(name)
			if err != nil {
				return nil, err
			}
			return &funcStmt{fn: fn}, nil
		case "var", "let", "const":
			p.i++
			s, err := p.varRest()
			if err != nil {
				return nil, err
			}
			p.accept(";")
			return s, nil
		case "if":
			p.i++
			cond, err := p.parenExpr()
			if err != nil {
				return nil, err
			}
			then, err := p.statement()
			if err != nil {
				return nil, err
			}
			s := &ifStmt{cond: cond, then: then}
			if p.accept("else") {
				if s.els, err = p.statement(); err != nil {
					return nil, err
				}
			}
			return s, nil
		case "return":
			p.i++
			if p.accept(";") || p.is("}") {
				return &returnStmt{}, nil
			}
			e, err := p.expr()
			if err != nil {
				return nil, err
			}
			p.accept(";")
			return &returnStmt{e: e}, nil
		case "for":
			return p.forRest()
		case "while":
			p.i++
			cond, err := p.parenExpr()
			if err != nil {
				return nil, err
			}
			body, err := p.statement()
			if err != nil {
				return nil, err
			}
			return &forStmt{cond: cond, body: body}, nil
		case "break":
			p.i++
			p.accept(";")
			return &breakStmt{}, nil
		case "continue":
			p.i++
			p.accept(";")
			return &continueStmt{}, nil
		case "switch", "do", "try", "throw", "with", "new", "this", "delete":
			return nil, p.errf("unsupported in PAC file: %q", t.text)
		}
	}
	if p.accept("{") {
		b, err := p.blockRest()
		return b, err
	}
	if p.accept(";") {
		return &blockStmt{}, nil
	}
	e, err := p.expr()
	if err != nil {
		return nil, err
	}
	p.accept(";")
	return &exprStmt{e: e}, nil
}

func (p *parser) blockRest() (*blockStmt, error) {
	b := &blockStmt{}
	for !p.accept("}") {
		if p.peek().kind == tEOF {
			return nil, p.errf("expected \"}\"")
		}
		s, err := p.statement()
		if err != nil {
			return nil, err
		}
		b.list = append(b.list, s)
	}
	return b, nil
}

func (p *parser) funcRest(name string) (*jsFunc, error) {
	fn := &jsFunc{name: name}
	if err := p.expect("("); err != nil {
		return nil, err
	}
	for !p.accept(")") {
		n, err := p.ident()
		if err != nil {
			return nil, err
		}
		fn.params = append(fn.params, n)
		if !p.is(")") {
			if err := p.expect(","); err != nil {
				return nil, err
			}
		}
	}
	if err := p.expect("{"); err != nil {
		return nil, err
	}
	body, err := p.blockRest()
	if err != nil {
		return nil, err
	}
	fn.body = body
	return fn, nil
}

func (p *parser) varRest() (*varStmt, error) {
	s := &varStmt{}
	for {
		n, err := p.ident()
		if err != nil {
			return nil, err
		}
		var init node
		if p.accept("=") {
			if init, err = p.assign(); err != nil {
				return nil, err
			}
		}
		s.names, s.inits = append(s.names, n), append(s.inits, init)
		if !p.accept(",") {
			return s, nil
		}
	}
}

func (p *parser) forRest() (stmt, error) {
	p.i++ // for
	if err := p.expect("("); err != nil {
		return nil, err
	}
	s := &forStmt{}
	if !p.accept(";") {
		if p.is("var") || p.is("let") || p.is("const") {
			p.i++
			v, err := p.varRest()
			if err != nil {
				return nil, err
			}
			s.init = v
		} else {
			e, err := p.expr()
			if err != nil {
				return nil, err
			}
			s.init = &exprStmt{e: e}
		}
		if p.is("in") || p.is("of") {
			return nil, p.errf("unsupported in PAC file: for-in/for-of loops")
		}
		if err := p.expect(";"); err != nil {
			return nil, err
		}
	}
	if !p.accept(";") {
		c, err := p.expr()
		if err != nil {
			return nil, err
		}
		s.cond = c
		if err := p.expect(";"); err != nil {
			return nil, err
		}
	}
	if !p.accept(")") {
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		s.post = e
		if err := p.expect(")"); err != nil {
			return nil, err
		}
	}
	body, err := p.statement()
	if err != nil {
		return nil, err
	}
	s.body = body
	return s, nil
}

// parenExpr parses "(" expression ")", the condition of an if or a while.
func (p *parser) parenExpr() (node, error) {
	if err := p.expect("("); err != nil {
		return nil, err
	}
	e, err := p.expr()
	if err != nil {
		return nil, err
	}
	if err := p.expect(")"); err != nil {
		return nil, err
	}
	return e, nil
}

func (p *parser) expr() (node, error) {
	return p.assign()
}

func (p *parser) assign() (node, error) {
	pos := p.peek().pos
	l, err := p.ternary()
	if err != nil {
		return nil, err
	}
	for _, op := range []string{"=", "+=", "-="} {
		if p.accept(op) {
			switch l.(type) {
			case *identExpr, *indexExpr:
			default:
				return nil, pacErr(p.src, pos, "cannot assign to this")
			}
			r, err := p.assign()
			if err != nil {
				return nil, err
			}
			return &assignExpr{target: l, op: op, e: r, pos: pos}, nil
		}
	}
	return l, nil
}

func (p *parser) ternary() (node, error) {
	c, err := p.binary(0)
	if err != nil {
		return nil, err
	}
	if !p.accept("?") {
		return c, nil
	}
	a, err := p.assign()
	if err != nil {
		return nil, err
	}
	if err := p.expect(":"); err != nil {
		return nil, err
	}
	b, err := p.assign()
	if err != nil {
		return nil, err
	}
	return &condExpr{c: c, a: a, b: b}, nil
}

var precedence = [][]string{
	{"||"}, {"&&"}, {"==", "!=", "===", "!=="}, {"<", ">", "<=", ">="}, {"+", "-"}, {"*", "/", "%"},
}

func (p *parser) binary(level int) (node, error) {
	if level == len(precedence) {
		return p.unary()
	}
	l, err := p.binary(level + 1)
	if err != nil {
		return nil, err
	}
	for {
		op := ""
		for _, o := range precedence[level] {
			if p.peek().kind == tPunct && p.peek().text == o {
				op = o
			}
		}
		if op == "" {
			return l, nil
		}
		p.i++
		r, err := p.binary(level + 1)
		if err != nil {
			return nil, err
		}
		l = &binaryExpr{op: op, l: l, r: r}
	}
}

func (p *parser) unary() (node, error) {
	t := p.peek()
	if t.kind == tPunct && (t.text == "!" || t.text == "-" || t.text == "+") || t.kind == tIdent && t.text == "typeof" {
		p.i++
		e, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &unaryExpr{op: t.text, e: e}, nil
	}
	if t.kind == tPunct && (t.text == "++" || t.text == "--") {
		p.i++
		e, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &incExpr{target: e, delta: incDelta(t.text), prefix: true, pos: t.pos}, nil
	}
	return p.postfix()
}

func incDelta(op string) float64 {
	if op == "++" {
		return 1
	}
	return -1
}

func (p *parser) postfix() (node, error) {
	e, err := p.primary()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		switch {
		case t.kind == tPunct && t.text == "(":
			p.i++
			call := &callExpr{fn: e, pos: t.pos}
			for !p.accept(")") {
				a, err := p.assign()
				if err != nil {
					return nil, err
				}
				call.args = append(call.args, a)
				if !p.is(")") {
					if err := p.expect(","); err != nil {
						return nil, err
					}
				}
			}
			e = call
		case t.kind == tPunct && t.text == ".":
			p.i++
			nt := p.next()
			if nt.kind != tIdent {
				return nil, pacErr(p.src, nt.pos, "expected a property name")
			}
			e = &memberExpr{obj: e, name: nt.text, pos: nt.pos}
		case t.kind == tPunct && t.text == "[":
			p.i++
			idx, err := p.expr()
			if err != nil {
				return nil, err
			}
			if err := p.expect("]"); err != nil {
				return nil, err
			}
			e = &indexExpr{obj: e, idx: idx}
		case t.kind == tPunct && (t.text == "++" || t.text == "--"):
			p.i++
			e = &incExpr{target: e, delta: incDelta(t.text), pos: t.pos}
		default:
			return e, nil
		}
	}
}

func (p *parser) primary() (node, error) {
	t := p.next()
	switch t.kind {
	case tNum:
		return &litExpr{v: t.num}, nil
	case tStr:
		return &litExpr{v: t.text}, nil
	case tIdent:
		switch t.text {
		case "true":
			return &litExpr{v: true}, nil
		case "false":
			return &litExpr{v: false}, nil
		case "null":
			return &litExpr{v: nil}, nil
		case "undefined":
			return &litExpr{v: undefined}, nil
		case "function":
			return nil, pacErr(p.src, t.pos, "unsupported in PAC file: function expressions")
		}
		if reserved[t.text] {
			return nil, pacErr(p.src, t.pos, fmt.Sprintf("unsupported in PAC file: %q", t.text))
		}
		return &identExpr{name: t.text}, nil
	case tPunct:
		switch t.text {
		case "(":
			e, err := p.expr()
			if err != nil {
				return nil, err
			}
			return e, p.expect(")")
		case "[":
			a := &arrayExpr{}
			for !p.accept("]") {
				e, err := p.assign()
				if err != nil {
					return nil, err
				}
				a.elems = append(a.elems, e)
				if !p.is("]") {
					if err := p.expect(","); err != nil {
						return nil, err
					}
				}
			}
			return a, nil
		case "/":
			return nil, pacErr(p.src, t.pos, "unsupported in PAC file: regular expressions")
		case "{":
			return nil, pacErr(p.src, t.pos, "unsupported in PAC file: object literals")
		}
	}
	p.i--
	return nil, p.errf("unexpected")
}
