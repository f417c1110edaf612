#!/usr/bin/env python3
"""wast3json.py: convert WebAssembly 3.0 .wast scripts into the JSON command
list and module files that wast2json (wabt 1.0.32) writes, for tests/spec/spectest.

    wast3json.py --jco JCO FILE.wast -o OUT/BASE.json
    wast3json.py --jco JCO --out-dir DIR FILE.wast...   (DIR/<base>/<base>.json each)

JCO is the jco command (tests/spec3/jco.sh prints it). Text modules are
encoded by the wasm-tools text parser that jco bundles: by default through
one node process per run (tests/spec3/jco-parse.mjs, calling the same parse
function as `jco parse`), or with --per-module by running
`jco parse FILE.wat -o FILE.wasm` on a temporary file for each module.

Output follows wast2json: {"source_filename": ..., "commands": [...]}, each
module in <base>.<n>.wasm (or <base>.<n>.wat, module_type "text", for a
module given as text that is not encoded: every (module quote ...) of an
assert_malformed, and any module of an assertion that jco cannot encode).

Where wast2json has no form, this writes:
  - (module definition $M ...): a "module_definition" command (spectest
    skips unknown commands); (module instance $I $M): a "module" command
    named $I whose filename is $M's.
  - assert_exception: {"type": "assert_exception", "action": ...}.
  - other script commands (thread, wait, ...): {"type": <keyword>, "line": N}.
  - values: (ref.null HT) is {"type": T, "value": "null"} with T funcref for
    func and nofunc, externref for extern and noextern, otherwise HT + "ref"
    (anyref, eqref, i31ref, structref, arrayref, exnref, noneref, noexnref,
    or "ref" for a type index); (ref.null) with no heap type is
    {"type": "ref", "value": "null"} (any null). A non-null result without a
    value, (ref.struct), (ref.array), (ref.i31), (ref.eq), (ref.any), is
    {"type": "structref"} and so on, like wast2json's {"type": "funcref"} for
    (ref.func). (ref.host N) is {"type": "hostref", "value": "N"}.
    (either V...) is {"type": "either", "values": [V...]}.
  - assert_trap and assert_exhaustion carry "expected": [] (wast2json lists
    the function's result types there; spectest does not read them).
"""

import argparse
import base64
import decimal
import json
import os
import subprocess
import sys
import tempfile
from fractions import Fraction


class WastError(Exception):
    pass


# ---- s-expressions ----

class Atom:
    __slots__ = ("text", "pos")

    def __init__(self, text, pos):
        self.text, self.pos = text, pos


class Str:
    __slots__ = ("raw", "data", "pos")

    def __init__(self, raw, data, pos):
        self.raw, self.data, self.pos = raw, data, pos


class List:
    __slots__ = ("items", "start", "end")

    def __init__(self, start):
        self.items, self.start, self.end = [], start, start

    def head(self):
        return self.items[0].text if self.items and isinstance(self.items[0], Atom) else None


HEX = "0123456789abcdefABCDEF"


def decode_string(src, i):
    """Decode the string token starting at src[i] == '"'; (bytes, end)."""
    out = bytearray()
    i += 1
    while True:
        if i >= len(src):
            raise WastError("unterminated string")
        c = src[i]
        if c == '"':
            return bytes(out), i + 1
        if c != "\\":
            out.append(ord(c))  # src is the file's bytes read as latin-1
            i += 1
            continue
        e = src[i + 1] if i + 1 < len(src) else ""
        simple = {"n": 10, "t": 9, "r": 13, "\\": 92, "'": 39, '"': 34}
        if e in simple:
            out.append(simple[e])
            i += 2
        elif e == "u" and src[i + 2:i + 3] == "{":
            j = src.index("}", i)
            cp = int(src[i + 3:j].replace("_", ""), 16)
            out += chr(cp).encode("utf-8", "surrogatepass")
            i = j + 1
        elif e in HEX and i + 2 < len(src) and src[i + 2] in HEX:
            out.append(int(src[i + 1:i + 3], 16))
            i += 3
        else:
            raise WastError("bad escape \\%s" % e)


def parse_sexprs(src):
    """Parse the whole script into a list of top-level Lists."""
    stack, top, i, n = [], [], 0, len(src)
    while i < n:
        c = src[i]
        if c in " \t\r\n":
            i += 1
        elif src.startswith(";;", i):
            j = src.find("\n", i)
            i = n if j < 0 else j + 1
        elif src.startswith("(;", i):
            depth, i = 1, i + 2
            while depth:
                if i >= n:
                    raise WastError("unterminated block comment")
                if src.startswith("(;", i):
                    depth, i = depth + 1, i + 2
                elif src.startswith(";)", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
        elif c == "(":
            stack.append(List(i))
            i += 1
        elif c == ")":
            if not stack:
                raise WastError("unbalanced ')' at offset %d" % i)
            node = stack.pop()
            node.end = i + 1
            (stack[-1].items if stack else top).append(node)
            i += 1
        elif c == '"':
            data, j = decode_string(src, i)
            tok = Str(src[i:j], data, i)
            if not stack:
                raise WastError("string outside a command")
            stack[-1].items.append(tok)
            i = j
        else:
            j = i
            while j < n and src[j] not in ' \t\r\n()";':
                j += 1
            if j == i:  # a lone ';'
                j += 1
            if not stack:
                raise WastError("atom outside a command at offset %d" % i)
            stack[-1].items.append(Atom(src[i:j], i))
            i = j
    if stack:
        raise WastError("unbalanced '('")
    return top


# ---- numbers ----

def parse_int(text, bits):
    s = text.replace("_", "")
    neg = s.startswith("-")
    if s[:1] in "+-":
        s = s[1:]
    v = int(s[2:], 16) if s[:2].lower() == "0x" else int(s, 10)
    return (-v if neg else v) % (1 << bits)


def round_float(q, mbits, ebits):
    """Bits of the nearest float (ties to even) to the Fraction q >= 0."""
    bias = (1 << (ebits - 1)) - 1
    if q == 0:
        return 0
    e = q.numerator.bit_length() - q.denominator.bit_length()
    if Fraction(2) ** e > q:
        e -= 1
    elif Fraction(2) ** (e + 1) <= q:
        e += 1
    e = max(e, 1 - bias)
    m = round(q / Fraction(2) ** (e - mbits))  # Fraction rounds half to even
    if m >= 1 << (mbits + 1):
        m >>= 1
        e += 1
    if m < 1 << mbits:  # subnormal
        return m
    if e > bias:
        return ((1 << ebits) - 1) << mbits  # infinity
    return ((e + bias) << mbits) | (m - (1 << mbits))


def parse_float(text, bits):
    """A float literal as its bit pattern, or nan:canonical/nan:arithmetic."""
    mbits, ebits = (23, 8) if bits == 32 else (52, 11)
    s = text.replace("_", "")
    if s in ("nan:canonical", "nan:arithmetic"):
        return s
    sign = 0
    if s[:1] in "+-":
        sign = (1 if s[0] == "-" else 0) << (bits - 1)
        s = s[1:]
    expmask = ((1 << ebits) - 1) << mbits
    if s == "inf":
        return str(sign | expmask)
    if s == "nan":
        return str(sign | expmask | (1 << (mbits - 1)))
    if s.startswith("nan:0x"):
        return str(sign | expmask | int(s[6:], 16))
    if s[:2].lower() == "0x":
        h = s[2:]
        exp = 0
        p = h.lower().find("p")
        if p >= 0:
            exp = int(h[p + 1:])
            h = h[:p]
        whole, _, frac = h.partition(".")
        q = Fraction(int((whole + frac) or "0", 16), 16 ** len(frac)) * Fraction(2) ** exp
    else:
        q = Fraction(decimal.Decimal(s))
    return str(sign | round_float(q, mbits, ebits))


LANES = {"i8x16": ("i8", 16), "i16x8": ("i16", 8), "i32x4": ("i32", 4),
         "i64x2": ("i64", 2), "f32x4": ("f32", 4), "f64x2": ("f64", 2)}

NULL_TYPES = {"func": "funcref", "nofunc": "funcref", "extern": "externref",
              "noextern": "externref"}

NONNULL = {"ref.func": "funcref", "ref.extern": "externref", "ref.struct": "structref",
           "ref.array": "arrayref", "ref.i31": "i31ref", "ref.eq": "eqref",
           "ref.any": "anyref", "ref.exn": "exnref", "ref.host": "hostref"}


def atoms(node):
    return [x.text for x in node.items[1:] if isinstance(x, Atom)]


def value(node):
    """A constant (argument or expected result) in wast2json's encoding."""
    if not isinstance(node, List):
        raise WastError("expected a value")
    h, a = node.head(), atoms(node)
    if h in ("i32.const", "i64.const"):
        return {"type": h[:3], "value": str(parse_int(a[0], int(h[1:3])))}
    if h in ("f32.const", "f64.const"):
        return {"type": h[:3], "value": parse_float(a[0], int(h[1:3]))}
    if h == "v128.const":
        lt, n = LANES[a[0]]
        w = int(lt[1:])
        lanes = [parse_float(x, w) if lt[0] == "f" else str(parse_int(x, w)) for x in a[1:]]
        if len(lanes) != n:
            raise WastError("v128.const %s needs %d lanes" % (a[0], n))
        return {"type": "v128", "lane_type": lt, "value": lanes}
    if h == "ref.null":
        if not a:
            return {"type": "ref", "value": "null"}
        ht = a[0]
        t = NULL_TYPES.get(ht, "ref" if ht.startswith("$") or ht.isdigit() else ht + "ref")
        return {"type": t, "value": "null"}
    if h == "either":
        return {"type": "either", "values": [value(x) for x in node.items[1:]]}
    if h in NONNULL:
        v = {"type": NONNULL[h]}
        if h in ("ref.extern", "ref.host") and a:
            v["value"] = str(int(a[0].replace("_", ""), 0))
        return v
    if h in CVALUE_HEADS:
        return cvalue(node.items)
    raise WastError("unknown value form (%s ...)" % h)


# ---- component values ----

CINTS = ("s8", "u8", "s16", "u16", "s32", "u32", "s64", "u64")
CVALUE_HEADS = {t + ".const" for t in CINTS + ("bool", "char", "str", "list", "tuple",
                                                "record", "variant", "enum", "flags")} | {
    "option.none", "option.some", "result.ok", "result.err"}


def cstr(x):
    if not isinstance(x, Str):
        raise WastError("expected a string")
    return x.data.decode("utf-8", "surrogateescape")


def cvalue(items):
    """A component value given as a form's items (head first): (u32.const 1),
    (list.const V*), or the unparenthesized value of a record field."""
    h = items[0].text if isinstance(items[0], Atom) else None
    rest = items[1:]
    if h is None:
        raise WastError("expected a component value")
    t = h.split(".")[0]
    if h in ("f32.const", "f64.const"):
        return {"type": t, "value": parse_float(rest[0].text, int(t[1:]))}
    if t in CINTS:
        txt = rest[0].text.replace("_", "")
        neg = txt.startswith("-")
        mag = txt.lstrip("+-")
        v = int(mag[2:], 16) if mag[:2].lower() == "0x" else int(mag, 10)
        v = -v if neg else v
        bits = int(t[1:])
        lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if t[0] == "s" else (0, (1 << bits) - 1)
        if not lo <= v <= hi:
            raise WastError("%s out of range: %s" % (h, rest[0].text))
        return {"type": t, "value": str(v)}
    if h == "bool.const":
        return {"type": "bool", "value": rest[0].text}
    if h in ("char.const", "str.const"):
        return {"type": "char" if t == "char" else "string", "value": cstr(rest[0])}
    if h in ("list.const", "tuple.const"):
        return {"type": t, "values": [value(x) for x in rest]}
    if h == "record.const":
        fields = []
        for f in rest:
            if not isinstance(f, List) or f.head() != "field" or len(f.items) < 3:
                raise WastError("expected (field \"name\" value)")
            fields.append({"name": cstr(f.items[1]), "value": cvalue(f.items[2:])})
        return {"type": "record", "fields": fields}
    if h == "variant.const":
        v = {"type": "variant", "case": cstr(rest[0])}
        if len(rest) > 1:
            v["value"] = value(rest[1])
        return v
    if h == "enum.const":
        return {"type": "enum", "value": cstr(rest[0])}
    if h == "flags.const":
        return {"type": "flags", "values": [cstr(x) for x in rest]}
    # option.none, option.some V, result.ok V?, result.err V?
    v = {"type": t, "case": h.split(".")[1]}
    if rest:
        v["value"] = value(rest[0])
    return v


# ---- the converter ----

class Jco:
    """Encodes module text with jco's wasm-tools parser."""

    def __init__(self, jco, per_module):
        self.jco, self.per_module, self.proc = jco, per_module, None

    def encode(self, text):
        """(bytes, None) or (None, error message)."""
        if self.per_module:
            return self._cli(text)
        if not self.proc:
            api = os.path.join(os.path.dirname(os.path.realpath(self.jco)), "api.js")
            helper = os.path.join(os.path.dirname(os.path.abspath(__file__)), "jco-parse.mjs")
            self.proc = subprocess.Popen(["node", helper, api], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, text=True, encoding="utf-8")
        self.proc.stdin.write(json.dumps(text) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise WastError("the jco helper exited")
        r = json.loads(line)
        if "wasm" in r:
            return base64.b64decode(r["wasm"]), None
        return None, r["error"]

    def _cli(self, text):
        with tempfile.TemporaryDirectory() as d:
            wat, wasm = os.path.join(d, "m.wat"), os.path.join(d, "m.wasm")
            with open(wat, "w", encoding="utf-8") as fp:
                fp.write(text)
            p = subprocess.run([self.jco, "parse", wat, "-o", wasm], capture_output=True,
                               text=True)
            if p.returncode == 0 and os.path.exists(wasm):
                with open(wasm, "rb") as fp:
                    return fp.read(), None
            return None, (p.stderr or p.stdout).strip()

    def close(self):
        if self.proc:
            self.proc.stdin.close()
            self.proc.wait()
            self.proc = None


# wasm-tools rejects bidirectional-text controls in the source ("confusing
# unicode"); inside a string the escape \u{...} means the same character.
CONFUSING = {c: "\\u{%x}" % c for c in
             list(range(0x202a, 0x202f)) + list(range(0x2066, 0x2070)) + [0x200e, 0x200f, 0x61c]}


def hide_confusing(text):
    return text.translate(CONFUSING)


MODULE_FIELDS = {"type", "rec", "import", "func", "table", "memory", "global", "tag", "export",
                 "start", "elem", "data"}


class Script:
    def __init__(self, src, outdir, base, jco, source_filename):
        self.src, self.outdir, self.base, self.jco = src, outdir, base, jco
        self.source_filename = source_filename
        self.nfiles = 0
        self.defs = {}  # module definition name -> filename
        self.current_component = False  # the last module command was a component
        self.commands = []
        self.warnings = []
        self.lines = [0]
        for i, c in enumerate(src):
            if c == "\n":
                self.lines.append(i + 1)

    def line(self, pos):
        lo, hi = 0, len(self.lines)
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if self.lines[mid] <= pos:
                lo = mid
            else:
                hi = mid
        return lo + 1

    def write(self, ext, data):
        name = "%s.%d.%s" % (self.base, self.nfiles, ext)
        self.nfiles += 1
        with open(os.path.join(self.outdir, name), "wb") as fp:
            fp.write(data)
        return name

    def module(self, node, quoted_text_ok=True):
        """Write a (module ...) form: (filename, module_type, name, definition)."""
        items = node.items[1:]
        name, definition, k = None, False, 0
        if k < len(items) and isinstance(items[k], Atom) and items[k].text == "definition":
            definition, k = True, k + 1
        if k < len(items) and isinstance(items[k], Atom) and items[k].text.startswith("$"):
            name, k = items[k].text, k + 1
        kind = items[k].text if k < len(items) and isinstance(items[k], Atom) else None
        if kind == "binary":
            data = b"".join(x.data for x in items[k + 1:])
            return self.write("wasm", data), "binary", name, definition
        if kind == "quote":
            text = b"(module " + b" ".join(x.data for x in items[k + 1:]) + b")"
            if not quoted_text_ok:
                return self.write("wat", text), "text", name, definition
        else:
            body = " ".join(self.render(x) for x in items[k:])
            text = ("(module " + body + ")").encode("latin-1")
        wasm, err = self.jco.encode(hide_confusing(text.decode("utf-8", "replace")))
        if wasm is None:
            self.warnings.append("line %d: jco: %s" % (self.line(node.start),
                                                      err.splitlines()[0] if err else "?"))
            return self.write("wat", text), "text", name, definition
        return self.write("wasm", wasm), "binary", name, definition

    def component(self, node, malformed=False):
        """Write a (component ...) form: (filename, module_type, name,
        definition, jco_error). Text is encoded by jco; a (component quote
        ...) of an assert_malformed that jco refuses stays text, with jco's
        message (the text parser is what must reject it)."""
        items = node.items[1:]
        name, definition, k = None, False, 0
        if k < len(items) and isinstance(items[k], Atom) and items[k].text == "definition":
            definition, k = True, k + 1
        if k < len(items) and isinstance(items[k], Atom) and items[k].text.startswith("$"):
            name, k = items[k].text, k + 1
        kind = items[k].text if k < len(items) and isinstance(items[k], Atom) else None
        if kind == "binary":
            data = b"".join(x.data for x in items[k + 1:])
            return self.write("wasm", data), "binary", name, definition, None
        if kind == "quote":
            text = b"(component " + b" ".join(x.data for x in items[k + 1:]) + b")"
        else:
            body = " ".join(self.render(x) for x in items[k:])
            text = ("(component " + (name + " " if name else "") + body + ")").encode("latin-1")
        wasm, err = self.jco.encode(hide_confusing(text.decode("utf-8", "replace")))
        if wasm is None:
            err = (err or "?").strip()
            self.warnings.append("line %d: jco: %s" % (self.line(node.start), err.splitlines()[0]))
            return self.write("wat", text), "text", name, definition, err
        return self.write("wasm", wasm), "binary", name, definition, None

    def component_command(self, node, cmd):
        """(component ...), (component definition $X ...), (component
        instance $I $X): module commands flagged "component"."""
        rest = node.items[1:]
        cmd["type"] = "module"
        cmd["component"] = True
        if rest and isinstance(rest[0], Atom) and rest[0].text == "instance":
            ids = [x.text for x in rest[1:] if isinstance(x, Atom)]
            if len(ids) != 2 or ids[1] not in self.defs:
                raise WastError("bad component instance at line %d" % cmd["line"])
            cmd["name"] = ids[0]
            cmd["filename"] = self.defs[ids[1]]
            cmd["instance"] = True
            self.current_component = True
            return cmd
        fname, mtype, name, definition, err = self.component(node)
        if definition:
            cmd["type"] = "module_definition"
            if name:
                self.defs[name] = fname
        else:
            self.current_component = True
        if name:
            cmd["name"] = name
        cmd["filename"] = fname
        cmd["module_type"] = mtype
        if err:
            cmd["jco_error"] = err
            self.warnings.append("line %d: component left as text" % cmd["line"])
        return cmd

    def render(self, x):
        """The source text of x, each folded legacy try unfolded (below)."""
        if isinstance(x, Atom):
            return x.text
        if isinstance(x, Str):
            return x.raw
        if x.head() == "try" and any(isinstance(i, List) and i.head() == "do" for i in x.items):
            return self.unfold_try(x)
        out, pos = [], x.start
        for i in x.items:
            if isinstance(i, List):
                out += [self.src[pos:i.start], self.render(i)]
                pos = i.end
        out.append(self.src[pos:x.end])
        return "".join(out)

    def unfold_try(self, x):
        """jco's parser reads the legacy exception instructions only in flat
        form: (try BT (do I*) (catch $t I*)* (catch_all I*)?) becomes
        `try BT I* catch $t I* ... end`, and (try BT (do I*) (delegate $l))
        becomes `try BT I* delegate $l`."""
        out, end = ["try"], "end"
        for i in x.items[1:]:
            h = i.head() if isinstance(i, List) else None
            if h in ("do", "catch", "catch_all", "delegate"):
                out += ([] if h == "do" else [h]) + [self.render(j) for j in i.items[1:]]
                if h == "delegate":
                    end = ""
            else:
                out.append(self.render(i))
        return " ".join(out + [end])

    def action(self, node):
        h = node.head()
        items = node.items[1:]
        a = {"type": h}
        if items and isinstance(items[0], Atom) and items[0].text.startswith("$"):
            a["module"] = items[0].text
            items = items[1:]
        if not items or not isinstance(items[0], Str):
            raise WastError("%s without a name" % h)
        a["field"] = items[0].data.decode("utf-8", "surrogateescape")
        if h == "invoke":
            a["args"] = [value(x) for x in items[1:]]
        return a

    def command(self, node):
        h = node.head()
        rest = node.items[1:]
        # wast2json's line: an assertion's module or action; else the keyword.
        at = rest[0] if h.startswith("assert_") and rest else node.items[0]
        cmd = {"type": h, "line": self.line(at.start if isinstance(at, List) else at.pos)}
        if h == "component":
            return self.component_command(node, cmd)
        if h == "module":
            self.current_component = False
            if len(rest) >= 2 and isinstance(rest[0], Atom) and rest[0].text == "instance":
                ids = [x.text for x in rest[1:] if isinstance(x, Atom)]
                inst, mod = (ids[0], ids[1]) if len(ids) > 1 else (None, ids[0])
                if mod not in self.defs:
                    raise WastError("no module definition %s" % mod)
                if inst:
                    cmd["name"] = inst
                cmd["filename"] = self.defs[mod]
                return cmd
            fname, mtype, name, definition = self.module(node)
            if definition:
                cmd["type"] = "module_definition"
                if name:
                    self.defs[name] = fname
            if name:
                cmd["name"] = name
            cmd["filename"] = fname
            if mtype != "binary":
                self.warnings.append("line %d: module left as text" % cmd["line"])
            return cmd
        if h == "register":
            if len(rest) > 1:
                cmd["name"] = rest[1].text
            cmd["as"] = rest[0].data.decode("utf-8", "surrogateescape")
            return cmd
        if h in ("invoke", "get"):
            act = {"type": "action", "line": cmd["line"], "action": self.action(node),
                   "expected": []}
            if self.current_component:
                act["component"] = True
            return act
        if self.current_component and h.startswith("assert_") and rest and \
                isinstance(rest[0], List) and rest[0].head() in ("invoke", "get"):
            cmd["component"] = True
        if h == "assert_return":
            cmd["action"] = self.action(rest[0])
            cmd["expected"] = [value(x) for x in rest[1:]]
            return cmd
        if h in ("assert_trap", "assert_exhaustion") and rest[0].head() in ("invoke", "get"):
            cmd["action"] = self.action(rest[0])
            cmd["text"] = rest[1].data.decode("utf-8", "replace")
            cmd["expected"] = []
            return cmd
        if h == "assert_exception":
            cmd["action"] = self.action(rest[0])
            cmd["expected"] = []
            return cmd
        if h in ("assert_trap", "assert_invalid", "assert_malformed", "assert_unlinkable",
                 "assert_uninstantiable") and rest[0].head() == "component":
            fname, mtype, _, _, err = self.component(rest[0], malformed=h == "assert_malformed")
            if h == "assert_trap":
                cmd["type"] = "assert_uninstantiable"
            cmd["component"] = True
            cmd["filename"] = fname
            cmd["text"] = rest[1].data.decode("utf-8", "replace")
            cmd["module_type"] = mtype
            if err:
                cmd["jco_error"] = err
            return cmd
        if h in ("assert_trap", "assert_invalid", "assert_malformed", "assert_unlinkable",
                 "assert_uninstantiable"):
            fname, mtype, _, _ = self.module(rest[0], quoted_text_ok=h != "assert_malformed")
            if h == "assert_trap":
                cmd["type"] = "assert_uninstantiable"
            cmd["filename"] = fname
            cmd["text"] = rest[1].data.decode("utf-8", "replace")
            cmd["module_type"] = mtype
            return cmd
        return cmd

    def convert(self):
        nodes = parse_sexprs(self.src)
        fields = [n for n in nodes if n.head() in MODULE_FIELDS]
        if fields:  # a script that is one module's fields, as inline-module.wast
            text = "(module " + self.src[fields[0].start:fields[-1].end] + ")"
            wasm, err = self.jco.encode(hide_confusing(text.encode("latin-1").decode("utf-8", "replace")))
            cmd = {"type": "module", "line": self.line(fields[0].start)}
            cmd["filename"] = (self.write("wasm", wasm) if wasm is not None
                               else self.write("wat", text.encode("latin-1")))
            self.commands.append(cmd)
        for node in nodes:
            h = node.head()
            if h is None or h.startswith("@") or h in MODULE_FIELDS:
                continue
            self.commands.append(self.command(node))
        return {"source_filename": self.source_filename, "commands": self.commands}


def dump(doc, path):
    """Write JSON like wast2json: one command a line, UTF-8 names kept."""
    lines = ['{"source_filename": %s,' % json.dumps(doc["source_filename"]), ' "commands": [']
    cmds = [json.dumps(c, ensure_ascii=False) for c in doc["commands"]]
    lines.append(",\n".join("  " + c for c in cmds))
    lines.append("]}\n")
    with open(path, "wb") as fp:
        fp.write("\n".join(lines).encode("utf-8", "surrogateescape"))


def convert_file(wast, json_path, jco):
    outdir = os.path.dirname(json_path) or "."
    base = os.path.basename(json_path)
    base = base[:-5] if base.endswith(".json") else base
    os.makedirs(outdir, exist_ok=True)
    with open(wast, "rb") as fp:
        src = fp.read().decode("latin-1")
    s = Script(src, outdir, base, jco, wast)
    doc = s.convert()
    dump(doc, json_path)
    return s


def main():
    ap = argparse.ArgumentParser(description="convert .wast scripts as wast2json does")
    ap.add_argument("wast", nargs="+")
    ap.add_argument("-o", dest="output", help="the JSON file (one script)")
    ap.add_argument("--out-dir", help="write DIR/<base>/<base>.json for each script")
    ap.add_argument("--jco", required=True, help="the jco command")
    ap.add_argument("--per-module", action="store_true",
                    help="run `jco parse` once per module instead of one node helper")
    ap.add_argument("-v", "--verbose", action="store_true", help="list modules left as text")
    o = ap.parse_args()
    if bool(o.output) == bool(o.out_dir) or (o.output and len(o.wast) != 1):
        ap.error("give -o with one script, or --out-dir")
    jco = Jco(o.jco, o.per_module)
    status = 0
    try:
        for wast in o.wast:
            base = os.path.basename(wast)
            base = base[:-5] if base.endswith(".wast") else base
            out = o.output or os.path.join(o.out_dir, base, base + ".json")
            if os.path.exists(out):
                os.remove(out)
            try:
                s = convert_file(wast, out, jco)
            except (WastError, IndexError, ValueError, KeyError, AttributeError) as e:
                print("wast3json: %s: %s" % (wast, e), file=sys.stderr)
                status = 1
                continue
            if o.verbose:
                for w in s.warnings:
                    print("%s: %s" % (wast, w), file=sys.stderr)
    finally:
        jco.close()
    return status


if __name__ == "__main__":
    sys.exit(main())
