package proxy

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// pacEnv is what a PAC evaluation may ask of the world: DNS, the PC's address and
// the clock. Tests replace it.
type pacEnv struct {
	lookup func(ctx context.Context, host string) ([]net.IP, error)
	myIP   func() string
	now    func() time.Time
}

func realPACEnv() *pacEnv {
	return &pacEnv{
		lookup: func(ctx context.Context, host string) ([]net.IP, error) {
			ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
			defer cancel()
			return net.DefaultResolver.LookupIP(ctx, "ip4", host)
		},
		myIP: func() string {
			// Connecting a UDP socket sends nothing; it picks the interface a packet to
			// the internet would leave by, which is what PAC files mean by "my address".
			c, err := net.Dial("udp4", "192.0.2.1:53")
			if err != nil {
				return "127.0.0.1"
			}
			defer c.Close()
			return c.LocalAddr().(*net.UDPAddr).IP.String()
		},
		now: time.Now,
	}
}

// maxPACSteps bounds one evaluation (statements and calls).
const maxPACSteps = 200000

type scope struct {
	vars   map[string]any
	parent *scope
}

func (s *scope) lookup(name string) (*scope, bool) {
	for c := s; c != nil; c = c.parent {
		if _, ok := c.vars[name]; ok {
			return c, true
		}
	}
	return nil, false
}

type builtin func(in *interp, args []any) (any, error)

type interp struct {
	ctx    context.Context
	prog   *pacProgram
	env    *pacEnv
	global *scope
	steps  int
}

type ctl int

const (
	ctlNone ctl = iota
	ctlReturn
	ctlBreak
	ctlContinue
)

// FindProxyForURL evaluates the PAC file for target. For https targets only the
// origin is passed (as browsers do): the path of a gateway call is nobody's business.
func (prog *pacProgram) FindProxyForURL(ctx context.Context, target *url.URL, env *pacEnv) (string, error) {
	if env == nil {
		env = realPACEnv()
	}
	global := &scope{vars: map[string]any{}}
	in := &interp{ctx: ctx, prog: prog, env: env, global: global}
	for name, f := range pacBuiltins {
		global.vars[name] = f
	}
	if _, _, err := in.block(prog.body, global, false); err != nil {
		return "", err
	}
	fn, ok := global.vars["FindProxyForURL"].(*jsFunc)
	if !ok {
		return "", errors.New("the PAC file has no function FindProxyForURL")
	}
	u := target.Scheme + "://" + target.Host + "/"
	if target.Scheme == "http" {
		u = target.String()
	}
	v, err := in.call(fn, []any{u, strings.ToLower(target.Hostname())})
	if err != nil {
		return "", err
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("FindProxyForURL returned %s, not a string", typeOf(v))
	}
	return s, nil
}

func (in *interp) step() error {
	in.steps++
	if in.steps > maxPACSteps {
		return errors.New("the PAC file runs too long (endless loop?)")
	}
	if in.steps%1024 == 0 && in.ctx.Err() != nil {
		return in.ctx.Err()
	}
	return nil
}

// hoist declares a block's functions first, as JavaScript does.
func hoist(b *blockStmt, sc *scope) {
	for _, s := range b.list {
		if f, ok := s.(*funcStmt); ok {
			sc.vars[f.fn.name] = f.fn
		}
	}
}

func (in *interp) block(b *blockStmt, sc *scope, newScope bool) (ctl, any, error) {
	if newScope {
		sc = &scope{vars: map[string]any{}, parent: sc}
	}
	hoist(b, sc)
	for _, s := range b.list {
		c, v, err := in.exec(s, sc)
		if err != nil || c != ctlNone {
			return c, v, err
		}
	}
	return ctlNone, nil, nil
}

func (in *interp) exec(s stmt, sc *scope) (ctl, any, error) {
	if err := in.step(); err != nil {
		return ctlNone, nil, err
	}
	switch s := s.(type) {
	case *funcStmt:
		return ctlNone, nil, nil // hoisted
	case *varStmt:
		for i, n := range s.names {
			var v any = undefined
			if s.inits[i] != nil {
				var err error
				if v, err = in.eval(s.inits[i], sc); err != nil {
					return ctlNone, nil, err
				}
			}
			sc.vars[n] = v
		}
	case *exprStmt:
		_, err := in.eval(s.e, sc)
		return ctlNone, nil, err
	case *ifStmt:
		c, err := in.eval(s.cond, sc)
		if err != nil {
			return ctlNone, nil, err
		}
		if truthy(c) {
			return in.exec(s.then, sc)
		} else if s.els != nil {
			return in.exec(s.els, sc)
		}
	case *returnStmt:
		if s.e == nil {
			return ctlReturn, undefined, nil
		}
		v, err := in.eval(s.e, sc)
		return ctlReturn, v, err
	case *blockStmt:
		return in.block(s, sc, false)
	case *breakStmt:
		return ctlBreak, nil, nil
	case *continueStmt:
		return ctlContinue, nil, nil
	case *forStmt:
		if s.init != nil {
			if _, _, err := in.exec(s.init, sc); err != nil {
				return ctlNone, nil, err
			}
		}
		for {
			if err := in.step(); err != nil {
				return ctlNone, nil, err
			}
			if s.cond != nil {
				c, err := in.eval(s.cond, sc)
				if err != nil {
					return ctlNone, nil, err
				}
				if !truthy(c) {
					break
				}
			}
			c, v, err := in.exec(s.body, sc)
			if err != nil {
				return ctlNone, nil, err
			}
			if c == ctlReturn {
				return c, v, nil
			}
			if c == ctlBreak {
				break
			}
			if s.post != nil {
				if _, err := in.eval(s.post, sc); err != nil {
					return ctlNone, nil, err
				}
			}
		}
	default:
		return ctlNone, nil, fmt.Errorf("PAC: unknown statement %T", s)
	}
	return ctlNone, nil, nil
}

func (in *interp) call(fn any, args []any) (any, error) {
	if err := in.step(); err != nil {
		return nil, err
	}
	switch f := fn.(type) {
	case builtin:
		return f(in, args)
	case *jsFunc:
		// Functions see the globals (PAC files have no closures worth the name).
		sc := &scope{vars: map[string]any{}, parent: in.global}
		for i, p := range f.params {
			if i < len(args) {
				sc.vars[p] = args[i]
			} else {
				sc.vars[p] = undefined
			}
		}
		c, v, err := in.block(f.body, sc, false)
		if err != nil {
			return nil, err
		}
		if c == ctlReturn {
			return v, nil
		}
		return undefined, nil
	}
	return nil, fmt.Errorf("PAC: %s is not a function", typeOf(fn))
}

func (in *interp) eval(n node, sc *scope) (any, error) {
	switch e := n.(type) {
	case *litExpr:
		return e.v, nil
	case *identExpr:
		if s, ok := sc.lookup(e.name); ok {
			return s.vars[e.name], nil
		}
		return nil, fmt.Errorf("PAC: %q is not defined (unsupported in PAC file?)", e.name)
	case *arrayExpr:
		arr := make([]any, len(e.elems))
		for i, el := range e.elems {
			v, err := in.eval(el, sc)
			if err != nil {
				return nil, err
			}
			arr[i] = v
		}
		return &arr, nil
	case *unaryExpr:
		v, err := in.eval(e.e, sc)
		if err != nil {
			return nil, err
		}
		switch e.op {
		case "!":
			return !truthy(v), nil
		case "-":
			return -toNumber(v), nil
		case "+":
			return toNumber(v), nil
		case "typeof":
			return typeOf(v), nil
		}
	case *binaryExpr:
		return in.binary(e, sc)
	case *condExpr:
		c, err := in.eval(e.c, sc)
		if err != nil {
			return nil, err
		}
		if truthy(c) {
			return in.eval(e.a, sc)
		}
		return in.eval(e.b, sc)
	case *callExpr:
		if m, ok := e.fn.(*memberExpr); ok {
			obj, err := in.eval(m.obj, sc)
			if err != nil {
				return nil, err
			}
			args, err := in.args(e.args, sc)
			if err != nil {
				return nil, err
			}
			return in.method(obj, m.name, args, m.pos)
		}
		fn, err := in.eval(e.fn, sc)
		if err != nil {
			return nil, err
		}
		args, err := in.args(e.args, sc)
		if err != nil {
			return nil, err
		}
		return in.call(fn, args)
	case *memberExpr:
		obj, err := in.eval(e.obj, sc)
		if err != nil {
			return nil, err
		}
		if e.name == "length" {
			switch o := obj.(type) {
			case string:
				return float64(len(o)), nil
			case *[]any:
				return float64(len(*o)), nil
			}
		}
		return nil, pacErr(in.prog.src, e.pos, fmt.Sprintf("unsupported in PAC file: property %q of %s", e.name, typeOf(obj)))
	case *indexExpr:
		obj, err := in.eval(e.obj, sc)
		if err != nil {
			return nil, err
		}
		idx, err := in.eval(e.idx, sc)
		if err != nil {
			return nil, err
		}
		i := int(toNumber(idx))
		switch o := obj.(type) {
		case *[]any:
			if i >= 0 && i < len(*o) {
				return (*o)[i], nil
			}
			return undefined, nil
		case string:
			if i >= 0 && i < len(o) {
				return o[i : i+1], nil
			}
			return undefined, nil
		}
		return nil, fmt.Errorf("PAC: cannot index %s", typeOf(obj))
	case *assignExpr:
		v, err := in.eval(e.e, sc)
		if err != nil {
			return nil, err
		}
		if e.op != "=" {
			old, err := in.eval(e.target, sc)
			if err != nil {
				return nil, err
			}
			op := "+"
			if e.op == "-=" {
				op = "-"
			}
			v = arith(op, old, v)
		}
		return v, in.store(e.target, v, sc, e.pos)
	case *incExpr:
		old, err := in.eval(e.target, sc)
		if err != nil {
			return nil, err
		}
		n := toNumber(old)
		if err := in.store(e.target, n+e.delta, sc, e.pos); err != nil {
			return nil, err
		}
		if e.prefix {
			return n + e.delta, nil
		}
		return n, nil
	}
	return nil, fmt.Errorf("PAC: unknown expression %T", n)
}

func (in *interp) store(target node, v any, sc *scope, pos int) error {
	switch t := target.(type) {
	case *identExpr:
		if s, ok := sc.lookup(t.name); ok {
			s.vars[t.name] = v
		} else {
			in.global.vars[t.name] = v // sloppy-mode JavaScript: an undeclared name is a global
		}
		return nil
	case *indexExpr:
		obj, err := in.eval(t.obj, sc)
		if err != nil {
			return err
		}
		idx, err := in.eval(t.idx, sc)
		if err != nil {
			return err
		}
		arr, ok := obj.(*[]any)
		i := int(toNumber(idx))
		if !ok || i < 0 || i > 1<<16 {
			return pacErr(in.prog.src, pos, "cannot assign to this")
		}
		for len(*arr) <= i {
			*arr = append(*arr, undefined)
		}
		(*arr)[i] = v
		return nil
	}
	return pacErr(in.prog.src, pos, "cannot assign to this")
}

func (in *interp) args(nodes []node, sc *scope) ([]any, error) {
	out := make([]any, len(nodes))
	for i, a := range nodes {
		v, err := in.eval(a, sc)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func (in *interp) binary(e *binaryExpr, sc *scope) (any, error) {
	l, err := in.eval(e.l, sc)
	if err != nil {
		return nil, err
	}
	switch e.op {
	case "&&":
		if !truthy(l) {
			return l, nil
		}
		return in.eval(e.r, sc)
	case "||":
		if truthy(l) {
			return l, nil
		}
		return in.eval(e.r, sc)
	}
	r, err := in.eval(e.r, sc)
	if err != nil {
		return nil, err
	}
	switch e.op {
	case "===":
		return strictEqual(l, r), nil
	case "!==":
		return !strictEqual(l, r), nil
	case "==":
		return looseEqual(l, r), nil
	case "!=":
		return !looseEqual(l, r), nil
	case "<", ">", "<=", ">=":
		ls, lok := l.(string)
		rs, rok := r.(string)
		if lok && rok {
			c := strings.Compare(ls, rs)
			return compare(e.op, float64(c), 0), nil
		}
		return compare(e.op, toNumber(l), toNumber(r)), nil
	}
	return arith(e.op, l, r), nil
}

func compare(op string, a, b float64) bool {
	switch op {
	case "<":
		return a < b
	case ">":
		return a > b
	case "<=":
		return a <= b
	}
	return a >= b
}

func arith(op string, l, r any) any {
	if op == "+" {
		_, ls := l.(string)
		_, rs := r.(string)
		if ls || rs {
			return toString(l) + toString(r)
		}
	}
	a, b := toNumber(l), toNumber(r)
	switch op {
	case "+":
		return a + b
	case "-":
		return a - b
	case "*":
		return a * b
	case "/":
		return a / b
	case "%":
		return math.Mod(a, b)
	}
	return math.NaN()
}

func truthy(v any) bool {
	switch v := v.(type) {
	case nil, undefinedT:
		return false
	case bool:
		return v
	case float64:
		return v != 0 && !math.IsNaN(v)
	case string:
		return v != ""
	}
	return true
}

func toNumber(v any) float64 {
	switch v := v.(type) {
	case float64:
		return v
	case bool:
		if v {
			return 1
		}
		return 0
	case nil:
		return 0
	case string:
		s := strings.TrimSpace(v)
		if s == "" {
			return 0
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return math.NaN()
		}
		return f
	}
	return math.NaN()
}

func toString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case float64:
		if v == math.Trunc(v) && math.Abs(v) < 1e15 {
			return strconv.FormatInt(int64(v), 10)
		}
		return strconv.FormatFloat(v, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	case nil:
		return "null"
	case undefinedT:
		return "undefined"
	case *[]any:
		parts := make([]string, len(*v))
		for i, x := range *v {
			parts[i] = toString(x)
		}
		return strings.Join(parts, ",")
	}
	return fmt.Sprint(v)
}

func typeOf(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	case undefinedT:
		return "undefined"
	case *jsFunc, builtin:
		return "function"
	}
	return "object"
}

func strictEqual(l, r any) bool {
	switch a := l.(type) {
	case *[]any:
		b, ok := r.(*[]any)
		return ok && a == b
	case *jsFunc:
		b, ok := r.(*jsFunc)
		return ok && a == b
	case builtin:
		return false
	}
	if _, ok := r.(*[]any); ok {
		return false
	}
	if typeOf(l) != typeOf(r) {
		return false
	}
	return l == r
}

func looseEqual(l, r any) bool {
	ln := l == nil || l == any(undefined)
	rn := r == nil || r == any(undefined)
	if ln || rn {
		return ln && rn
	}
	if typeOf(l) == typeOf(r) {
		return strictEqual(l, r)
	}
	return toNumber(l) == toNumber(r)
}

// method runs the string methods PAC files use.
func (in *interp) method(obj any, name string, args []any, pos int) (any, error) {
	s, ok := obj.(string)
	if !ok {
		if arr, isArr := obj.(*[]any); isArr && name == "indexOf" && len(args) > 0 {
			for i, x := range *arr {
				if strictEqual(x, args[0]) {
					return float64(i), nil
				}
			}
			return float64(-1), nil
		}
		if arr, isArr := obj.(*[]any); isArr && name == "join" {
			sep := ","
			if len(args) > 0 {
				sep = toString(args[0])
			}
			parts := make([]string, len(*arr))
			for i, x := range *arr {
				parts[i] = toString(x)
			}
			return strings.Join(parts, sep), nil
		}
		return nil, pacErr(in.prog.src, pos, fmt.Sprintf("unsupported in PAC file: %s.%s()", typeOf(obj), name))
	}
	arg := func(i int) string {
		if i < len(args) {
			return toString(args[i])
		}
		return ""
	}
	num := func(i int, def float64) float64 {
		if i < len(args) && args[i] != any(undefined) {
			return toNumber(args[i])
		}
		return def
	}
	clamp := func(f float64) int {
		if math.IsNaN(f) || f < 0 {
			return 0
		}
		if f > float64(len(s)) {
			return len(s)
		}
		return int(f)
	}
	switch name {
	case "toLowerCase":
		return strings.ToLower(s), nil
	case "toUpperCase":
		return strings.ToUpper(s), nil
	case "trim":
		return strings.TrimSpace(s), nil
	case "indexOf":
		from := clamp(num(1, 0))
		i := strings.Index(s[from:], arg(0))
		if i < 0 {
			return float64(-1), nil
		}
		return float64(i + from), nil
	case "lastIndexOf":
		return float64(strings.LastIndex(s, arg(0))), nil
	case "startsWith":
		return strings.HasPrefix(s, arg(0)), nil
	case "endsWith":
		return strings.HasSuffix(s, arg(0)), nil
	case "includes":
		return strings.Contains(s, arg(0)), nil
	case "charAt":
		i := int(num(0, 0))
		if i < 0 || i >= len(s) {
			return "", nil
		}
		return s[i : i+1], nil
	case "substring":
		a, b := clamp(num(0, 0)), clamp(num(1, float64(len(s))))
		if a > b {
			a, b = b, a
		}
		return s[a:b], nil
	case "substr":
		start := num(0, 0)
		if start < 0 {
			start += float64(len(s))
		}
		a := clamp(start)
		b := clamp(float64(a) + num(1, float64(len(s))))
		return s[a:b], nil
	case "split":
		if len(args) == 0 {
			arr := []any{s}
			return &arr, nil
		}
		parts := strings.Split(s, arg(0))
		arr := make([]any, len(parts))
		for i, p := range parts {
			arr[i] = p
		}
		return &arr, nil
	}
	return nil, pacErr(in.prog.src, pos, fmt.Sprintf("unsupported in PAC file: string.%s()", name))
}
