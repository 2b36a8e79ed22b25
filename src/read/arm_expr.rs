//! The ARM template expression language: enough of it to evaluate network templates.
//!
//! In a template, a JSON string that starts with `[` and ends with `]` is an expression:
//! `"[concat(parameters('prefix'), '-vnet')]"`. A string starting with `[[` is a literal that
//! starts with one `[`. Expressions are function calls, literals (`'text'` with `''` for a quote,
//! integers, `true`, `false`, `null`) and member access (`resourceGroup().location`,
//! `variables('subnets')[0].name`).
//!
//! Supported functions (case-insensitive): `parameters`, `variables`, `concat`, `format`,
//! `resourceId`, `subscriptionResourceId`, `resourceGroup`, `subscription`, `copyIndex`, `if`,
//! `equals`, `not`, `and`, `or`, `less`, `lessOrEquals`, `greater`, `greaterOrEquals`, `toLower`,
//! `toUpper`, `string`, `int`, `bool`, `json`, `length`, `empty`, `first`, `last`, `split`,
//! `replace`, `trim`, `substring`, `contains`, `startsWith`, `endsWith`, `indexOf`,
//! `createArray`, `createObject`, `array`, `union`, `coalesce`, `range`, `take`, `skip`, `add`,
//! `sub`, `mul`, `div`, `mod`, `min`, `max`, `padLeft`.
//!
//! Deliberately not supported, because they depend on Azure at deployment time: `reference`,
//! `list*`, `uniqueString`, `newGuid`, `utcNow`, `deployment`, `environment`. An expression using
//! one fails with a message saying why; the template reader only reports it if the analysis
//! actually needs that value.
//!
//! The evaluator is pure: everything it needs from outside (parameter and variable values, the
//! current copy index, the placeholder subscription and resource group) comes from a [`Scope`].

use serde_json::{Map, Number, Value};

use super::resources::{as_unevaluated, cut, make_id};

/// Deepest nesting of calls and indexes in one expression (`concat(concat(...))`). Real
/// templates nest a handful of levels; the bound keeps the parser and evaluator off the stack's
/// end whatever the input.
pub const MAX_DEPTH: usize = 64;
/// Largest value one expression may build (a string, list or object), in bytes of memory
/// (estimated: 32 per JSON value plus the text it holds).
pub const MAX_VALUE_BYTES: usize = 64 << 20;
/// Deepest nesting of lists and objects a built value may have (as serde_json's parser).
pub const MAX_VALUE_NESTING: usize = 128;
/// Longest text `json()` parses (a parsed value takes up to 16 times its text in memory).
const MAX_JSON_TEXT: usize = MAX_VALUE_BYTES / 16;

/// What an expression can see.
pub trait Scope {
    fn parameter(&self, name: &str) -> Result<Value, String>;
    fn variable(&self, name: &str) -> Result<Value, String>;
    /// `copyIndex()` (innermost loop) or `copyIndex('name')`.
    fn copy_index(&self, loop_name: Option<&str>) -> Result<i64, String>;
    fn subscription_id(&self) -> String;
    fn resource_group(&self) -> String;
    fn location(&self) -> String;
    /// Counts `bytes` of values built against a budget for the whole input; an error stops
    /// the evaluation. By default nothing is counted.
    fn charge(&self, bytes: usize) -> Result<(), String> {
        let _ = bytes;
        Ok(())
    }
}

/// The estimated memory of a value (see [`MAX_VALUE_BYTES`]), counted without recursion and
/// only up to `limit`: `Err` when it is larger than `limit` or nests deeper than
/// [`MAX_VALUE_NESTING`].
pub fn value_size(v: &Value, limit: usize) -> Result<usize, String> {
    let mut total = 0usize;
    let mut stack: Vec<(&Value, usize)> = vec![(v, 1)];
    while let Some((v, depth)) = stack.pop() {
        if depth > MAX_VALUE_NESTING {
            return Err(format!(
                "the value nests lists or objects more than {MAX_VALUE_NESTING} levels deep"
            ));
        }
        total = total.saturating_add(32);
        match v {
            Value::String(s) => total = total.saturating_add(s.len()),
            Value::Array(l) => stack.extend(l.iter().map(|x| (x, depth + 1))),
            Value::Object(o) => {
                for (k, x) in o {
                    total = total.saturating_add(k.len() + 32);
                    stack.push((x, depth + 1));
                }
            }
            _ => {}
        }
        if total > limit {
            return Err(too_big(limit));
        }
    }
    Ok(total)
}

fn too_big(limit: usize) -> String {
    format!(
        "the value would take more than {} MiB; p2s-sim builds at most {} MiB per value (no flag raises it: a network template never needs that much, so simplify the expression)",
        limit >> 20,
        MAX_VALUE_BYTES >> 20
    )
}

/// A parsed expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Str(String),
    Int(i64),
    Bool(bool),
    Null,
    Call {
        name: String,
        args: Vec<Expr>,
        access: Vec<Access>,
    },
}

/// `.name` or `[expr]` after a call.
#[derive(Clone, Debug, PartialEq)]
pub enum Access {
    Member(String),
    Index(Box<Expr>),
}

/// True when a JSON string is an expression (not a `[[` literal).
pub fn is_expression(text: &str) -> bool {
    let t = text.trim();
    t.starts_with('[') && t.ends_with(']') && !t.starts_with("[[")
}

/// Evaluates a JSON string from a template: expressions are evaluated, `[[...` loses one `[`,
/// anything else is returned as it is.
pub fn evaluate_string(text: &str, scope: &dyn Scope) -> Result<Value, String> {
    if is_expression(text) {
        let t = text.trim();
        let expr = parse(&t[1..t.len() - 1])?;
        evaluate(&expr, scope)
    } else if let Some(rest) = text.strip_prefix("[[") {
        Ok(Value::String(format!("[{rest}")))
    } else {
        Ok(Value::String(text.to_string()))
    }
}

// ---------------------------------------------------------------------------------------------
// Parsing

struct Parser<'a> {
    chars: Vec<char>,
    pos: usize,
    text: &'a str,
    depth: usize,
}

/// Parses the inside of `[...]`.
pub fn parse(text: &str) -> Result<Expr, String> {
    let mut p = Parser {
        chars: text.chars().collect(),
        pos: 0,
        text,
        depth: 0,
    };
    let e = p.expr()?;
    p.skip_ws();
    if p.pos != p.chars.len() {
        return Err(format!(
            "unexpected '{}' at position {} of '{}'",
            p.chars[p.pos],
            p.pos + 1,
            cut(p.text)
        ));
    }
    Ok(e)
}

impl Parser<'_> {
    fn skip_ws(&mut self) {
        while self.pos < self.chars.len() && self.chars[self.pos].is_whitespace() {
            self.pos += 1;
        }
    }

    fn peek(&mut self) -> Option<char> {
        self.skip_ws();
        self.chars.get(self.pos).copied()
    }

    fn expect(&mut self, c: char) -> Result<(), String> {
        if self.peek() == Some(c) {
            self.pos += 1;
            Ok(())
        } else {
            Err(format!(
                "expected '{c}' at position {} of '{}'",
                self.pos + 1,
                cut(self.text)
            ))
        }
    }

    fn expr(&mut self) -> Result<Expr, String> {
        if self.depth >= MAX_DEPTH {
            return Err(format!(
                "the expression nests calls more than {MAX_DEPTH} levels deep (at position {} of '{}'); build it from variables instead",
                self.pos + 1,
                cut(self.text)
            ));
        }
        self.depth += 1;
        let e = self.expr_inner();
        self.depth -= 1;
        e
    }

    fn expr_inner(&mut self) -> Result<Expr, String> {
        match self.peek() {
            None => Err(format!("unexpected end of '{}'", cut(self.text))),
            Some('\'') => {
                self.pos += 1;
                let mut s = String::new();
                loop {
                    match self.chars.get(self.pos) {
                        None => return Err(format!("unterminated string in '{}'", cut(self.text))),
                        Some('\'') if self.chars.get(self.pos + 1) == Some(&'\'') => {
                            s.push('\'');
                            self.pos += 2;
                        }
                        Some('\'') => {
                            self.pos += 1;
                            break;
                        }
                        Some(&c) => {
                            s.push(c);
                            self.pos += 1;
                        }
                    }
                }
                Ok(Expr::Str(s))
            }
            Some(c) if c.is_ascii_digit() || c == '-' => {
                let start = self.pos;
                self.pos += 1;
                while self.pos < self.chars.len() && self.chars[self.pos].is_ascii_digit() {
                    self.pos += 1;
                }
                let s: String = self.chars[start..self.pos].iter().collect();
                s.parse()
                    .map(Expr::Int)
                    .map_err(|_| format!("bad number '{}' in '{}'", cut(&s), cut(self.text)))
            }
            Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                let start = self.pos;
                while self.pos < self.chars.len()
                    && (self.chars[self.pos].is_ascii_alphanumeric() || self.chars[self.pos] == '_')
                {
                    self.pos += 1;
                }
                let name: String = self.chars[start..self.pos].iter().collect();
                if self.peek() != Some('(') {
                    return match name.to_ascii_lowercase().as_str() {
                        "true" => Ok(Expr::Bool(true)),
                        "false" => Ok(Expr::Bool(false)),
                        "null" => Ok(Expr::Null),
                        _ => Err(format!(
                            "'{name}' is neither a function call nor a literal in '{}'",
                            cut(self.text)
                        )),
                    };
                }
                self.pos += 1;
                let mut args = Vec::new();
                if self.peek() == Some(')') {
                    self.pos += 1;
                } else {
                    loop {
                        args.push(self.expr()?);
                        match self.peek() {
                            Some(',') => self.pos += 1,
                            Some(')') => {
                                self.pos += 1;
                                break;
                            }
                            _ => {
                                return Err(format!(
                                    "expected ',' or ')' at position {} of '{}'",
                                    self.pos + 1,
                                    cut(self.text)
                                ))
                            }
                        }
                    }
                }
                let mut access = Vec::new();
                loop {
                    match self.peek() {
                        Some('.') => {
                            self.pos += 1;
                            self.skip_ws();
                            let start = self.pos;
                            while self.pos < self.chars.len()
                                && (self.chars[self.pos].is_alphanumeric()
                                    || self.chars[self.pos] == '_'
                                    || self.chars[self.pos] == '$')
                            {
                                self.pos += 1;
                            }
                            if start == self.pos {
                                return Err(format!(
                                    "expected a property name after '.' in '{}'",
                                    cut(self.text)
                                ));
                            }
                            access
                                .push(Access::Member(self.chars[start..self.pos].iter().collect()));
                        }
                        Some('[') => {
                            self.pos += 1;
                            let index = self.expr()?;
                            self.expect(']')?;
                            access.push(Access::Index(Box::new(index)));
                        }
                        _ => break,
                    }
                }
                Ok(Expr::Call { name, args, access })
            }
            Some(c) => Err(format!(
                "unexpected '{c}' at position {} of '{}'",
                self.pos + 1,
                cut(self.text)
            )),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/// Evaluates a parsed expression.
pub fn evaluate(expr: &Expr, scope: &dyn Scope) -> Result<Value, String> {
    match expr {
        Expr::Str(s) => Ok(Value::String(s.clone())),
        Expr::Int(i) => Ok(Value::Number((*i).into())),
        Expr::Bool(b) => Ok(Value::Bool(*b)),
        Expr::Null => Ok(Value::Null),
        Expr::Call { name, args, access } => {
            let lower = name.to_ascii_lowercase();
            // `if` evaluates only the branch it takes (ARM does the same).
            let mut value = if lower == "if" {
                if args.len() != 3 {
                    return Err("if() takes 3 arguments".into());
                }
                let cond = evaluate(&args[0], scope)?;
                let Some(cond) = cond.as_bool() else {
                    return Err(format!("if(): the condition is {cond}, not true/false"));
                };
                evaluate(&args[if cond { 1 } else { 2 }], scope)?
            } else {
                let mut values = Vec::with_capacity(args.len());
                for a in args {
                    let v = evaluate(a, scope)?;
                    if let Some((inner, reason)) = as_unevaluated(&v) {
                        return Err(super::resources::marker_reason(reason, inner));
                    }
                    values.push(v);
                }
                call(name, &lower, &values, scope)?
            };
            for a in access {
                value = match a {
                    Access::Member(m) => member(&value, m)?,
                    Access::Index(e) => {
                        let key = evaluate(e, scope)?;
                        match (&value, &key) {
                            (Value::Array(list), Value::Number(n)) => {
                                let i = n.as_u64().ok_or_else(|| format!("bad index {n}"))?;
                                list.get(i as usize).cloned().ok_or_else(|| {
                                    format!(
                                        "index {i} is out of range (the list has {} items)",
                                        list.len()
                                    )
                                })?
                            }
                            (Value::Object(_), Value::String(k)) => member(&value, k)?,
                            _ => return Err(format!("cannot index {} with {key}", short(&value))),
                        }
                    }
                };
            }
            // A value picked out of a partly evaluated variable may itself be unevaluated.
            if let Some((inner, reason)) = as_unevaluated(&value) {
                return Err(super::resources::marker_reason(reason, inner));
            }
            // Every value built (or copied out of a variable) counts: per value and in total.
            let size = value_size(&value, MAX_VALUE_BYTES).map_err(|e| format!("{name}(): {e}"))?;
            scope.charge(size)?;
            Ok(value)
        }
    }
}

fn short(v: &Value) -> String {
    super::resources::short(v)
}

fn member(value: &Value, name: &str) -> Result<Value, String> {
    match value {
        Value::Object(obj) => obj
            .get(name)
            .or_else(|| {
                obj.iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v)
            })
            .cloned()
            .ok_or_else(|| format!("the object has no property '{name}'")),
        other => Err(format!("cannot read '.{name}' of {}", short(other))),
    }
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn as_str<'v>(f: &str, v: &'v Value) -> Result<&'v str, String> {
    v.as_str()
        .ok_or_else(|| format!("{f}() expects text, got {}", short(v)))
}

fn as_int(f: &str, v: &Value) -> Result<i64, String> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .ok_or_else(|| format!("{f}(): {n} is not a whole number")),
        Value::String(s) => s
            .trim()
            .parse()
            .map_err(|_| format!("{f}(): '{s}' is not a whole number")),
        other => Err(format!("{f}() expects a number, got {}", short(other))),
    }
}

fn as_bool(f: &str, v: &Value) -> Result<bool, String> {
    match v {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(false),
        other => Err(format!("{f}() expects true/false, got {}", short(other))),
    }
}

fn arity(f: &str, args: &[Value], min: usize, max: usize) -> Result<(), String> {
    if args.len() < min || args.len() > max {
        if min == max {
            Err(format!("{f}() takes {min} argument(s), got {}", args.len()))
        } else {
            Err(format!(
                "{f}() takes {min} to {max} arguments, got {}",
                args.len()
            ))
        }
    } else {
        Ok(())
    }
}

fn int(i: i64) -> Value {
    Value::Number(Number::from(i))
}

fn call(name: &str, f: &str, a: &[Value], scope: &dyn Scope) -> Result<Value, String> {
    if matches!(f, "concat" | "createarray" | "createobject" | "union") {
        // The result is about as big as the arguments together: refuse before building it.
        let mut total = 0usize;
        for v in a {
            total += value_size(v, MAX_VALUE_BYTES).map_err(|e| format!("{name}(): {e}"))?;
            if total > MAX_VALUE_BYTES {
                return Err(format!("{name}(): {}", too_big(MAX_VALUE_BYTES)));
            }
        }
    }
    match f {
        "parameters" => {
            arity(name, a, 1, 1)?;
            scope.parameter(as_str(name, &a[0])?)
        }
        "variables" => {
            arity(name, a, 1, 1)?;
            scope.variable(as_str(name, &a[0])?)
        }
        "copyindex" => {
            arity(name, a, 0, 2)?;
            let (loop_name, offset) = match a {
                [] => (None, 0),
                [Value::String(s)] => (Some(s.as_str()), 0),
                [n] => (None, as_int(name, n)?),
                [s, n] => (Some(as_str(name, s)?), as_int(name, n)?),
                _ => unreachable!("arity checked"),
            };
            scope
                .copy_index(loop_name)?
                .checked_add(offset)
                .map(int)
                .ok_or_else(|| format!("{name}(): the offset {offset} overflows"))
        }
        "concat" => {
            if !a.is_empty() && a.iter().all(|v| v.is_array() || v.is_null()) {
                Ok(Value::Array(
                    a.iter()
                        .filter_map(Value::as_array)
                        .flatten()
                        .cloned()
                        .collect(),
                ))
            } else {
                Ok(Value::String(a.iter().map(text).collect()))
            }
        }
        "format" => {
            if a.is_empty() {
                return Err("format() needs a format string".into());
            }
            let fmt = as_str(name, &a[0])?;
            let mut out = String::new();
            let chars: Vec<char> = fmt.chars().collect();
            let mut i = 0;
            while i < chars.len() {
                match chars[i] {
                    '{' if chars.get(i + 1) == Some(&'{') => {
                        out.push('{');
                        i += 2;
                    }
                    '}' if chars.get(i + 1) == Some(&'}') => {
                        out.push('}');
                        i += 2;
                    }
                    '{' => {
                        let end = chars[i..]
                            .iter()
                            .position(|&c| c == '}')
                            .ok_or_else(|| format!("format(): unclosed '{{' in '{fmt}'"))?;
                        let inside: String = chars[i + 1..i + end].iter().collect();
                        let index_text = inside.split([':', ',']).next().unwrap_or("");
                        let index: usize = index_text
                            .trim()
                            .parse()
                            .map_err(|_| format!("format(): bad placeholder '{{{inside}}}'"))?;
                        let v = index.checked_add(1).and_then(|i| a.get(i)).ok_or_else(|| {
                            format!("format(): placeholder {{{index}}} has no argument")
                        })?;
                        out.push_str(&text(v));
                        if out.len() > MAX_VALUE_BYTES {
                            return Err(format!("{name}(): {}", too_big(MAX_VALUE_BYTES)));
                        }
                        i += end + 1;
                    }
                    c => {
                        out.push(c);
                        i += 1;
                    }
                }
            }
            Ok(Value::String(out))
        }
        "resourceid" | "subscriptionresourceid" => {
            let texts: Vec<&str> = a.iter().map(|v| as_str(name, v)).collect::<Result<_, _>>()?;
            let at = texts
                .iter()
                .position(|t| t.contains('/') && !t.starts_with('/'))
                .ok_or_else(|| format!("{name}(): no resource type such as 'Microsoft.Network/virtualNetworks'"))?;
            let (sub, group) = match (f, &texts[..at]) {
                (_, []) => (scope.subscription_id(), scope.resource_group()),
                ("resourceid", [g]) => (scope.subscription_id(), g.to_string()),
                (_, [s]) => (s.to_string(), scope.resource_group()),
                (_, [s, g]) => (s.to_string(), g.to_string()),
                _ => return Err(format!("{name}(): too many arguments before the type")),
            };
            let rtype = texts[at].trim_end_matches('/');
            let names = &texts[at + 1..];
            let expected = rtype.split('/').count() - 1;
            if names.len() != expected {
                return Err(format!(
                    "{name}(): type '{rtype}' needs {expected} name(s), got {}",
                    names.len()
                ));
            }
            if f == "subscriptionresourceid" {
                let types: Vec<&str> = rtype.split('/').collect();
                if types.len() < 2 {
                    return Err(format!("{name}(): '{rtype}' is not a resource type"));
                }
                let mut id = format!("/subscriptions/{sub}/providers/{}/{}", types[0], types[1]);
                for (i, n) in names.iter().enumerate() {
                    if i > 0 {
                        id.push('/');
                        id.push_str(types[i + 1]);
                    }
                    id.push('/');
                    id.push_str(n);
                }
                return Ok(Value::String(id));
            }
            Ok(Value::String(make_id(&sub, &group, rtype, names)))
        }
        "resourcegroup" => {
            arity(name, a, 0, 0)?;
            let group = scope.resource_group();
            let mut o = Map::new();
            o.insert(
                "id".into(),
                Value::String(format!(
                    "/subscriptions/{}/resourceGroups/{group}",
                    scope.subscription_id()
                )),
            );
            o.insert("name".into(), Value::String(group));
            o.insert("type".into(), Value::String("Microsoft.Resources/resourceGroups".into()));
            o.insert("location".into(), Value::String(scope.location()));
            Ok(Value::Object(o))
        }
        "subscription" => {
            arity(name, a, 0, 0)?;
            let sub = scope.subscription_id();
            let mut o = Map::new();
            o.insert("id".into(), Value::String(format!("/subscriptions/{sub}")));
            o.insert("subscriptionId".into(), Value::String(sub));
            Ok(Value::Object(o))
        }
        "if" => unreachable!("handled lazily"),
        "equals" => {
            arity(name, a, 2, 2)?;
            Ok(Value::Bool(a[0] == a[1]))
        }
        "not" => {
            arity(name, a, 1, 1)?;
            Ok(Value::Bool(!as_bool(name, &a[0])?))
        }
        "and" | "or" => {
            if a.len() < 2 {
                return Err(format!("{name}() takes at least 2 arguments"));
            }
            let bools: Vec<bool> = a.iter().map(|v| as_bool(name, v)).collect::<Result<_, _>>()?;
            Ok(Value::Bool(if f == "and" {
                bools.iter().all(|b| *b)
            } else {
                bools.iter().any(|b| *b)
            }))
        }
        "less" | "lessorequals" | "greater" | "greaterorequals" => {
            arity(name, a, 2, 2)?;
            let ord = match (&a[0], &a[1]) {
                (Value::String(x), Value::String(y)) => x.cmp(y),
                (x, y) => as_int(name, x)?.cmp(&as_int(name, y)?),
            };
            use std::cmp::Ordering::*;
            Ok(Value::Bool(match f {
                "less" => ord == Less,
                "lessorequals" => ord != Greater,
                "greater" => ord == Greater,
                _ => ord != Less,
            }))
        }
        "tolower" => {
            arity(name, a, 1, 1)?;
            Ok(Value::String(as_str(name, &a[0])?.to_lowercase()))
        }
        "toupper" => {
            arity(name, a, 1, 1)?;
            Ok(Value::String(as_str(name, &a[0])?.to_uppercase()))
        }
        "string" => {
            arity(name, a, 1, 1)?;
            Ok(Value::String(text(&a[0])))
        }
        "int" => {
            arity(name, a, 1, 1)?;
            Ok(int(as_int(name, &a[0])?))
        }
        "bool" => {
            arity(name, a, 1, 1)?;
            Ok(Value::Bool(as_bool(name, &a[0])?))
        }
        "json" => {
            arity(name, a, 1, 1)?;
            let s = as_str(name, &a[0])?;
            if s.len() > MAX_JSON_TEXT {
                return Err(format!(
                    "json(): the text is {} bytes; p2s-sim parses at most {} MiB",
                    s.len(),
                    MAX_JSON_TEXT >> 20
                ));
            }
            serde_json::from_str(s).map_err(|e| format!("json(): {e}"))
        }
        "length" => {
            arity(name, a, 1, 1)?;
            Ok(int(match &a[0] {
                Value::Array(l) => l.len() as i64,
                Value::String(s) => s.chars().count() as i64,
                Value::Object(o) => o.len() as i64,
                other => return Err(format!("length() of {}", short(other))),
            }))
        }
        "empty" => {
            arity(name, a, 1, 1)?;
            Ok(Value::Bool(match &a[0] {
                Value::Array(l) => l.is_empty(),
                Value::String(s) => s.is_empty(),
                Value::Object(o) => o.is_empty(),
                Value::Null => true,
                _ => false,
            }))
        }
        "first" | "last" => {
            arity(name, a, 1, 1)?;
            match &a[0] {
                Value::Array(l) => Ok(if f == "first" { l.first() } else { l.last() }
                    .cloned()
                    .unwrap_or(Value::Null)),
                Value::String(s) => Ok(Value::String(
                    if f == "first" { s.chars().next() } else { s.chars().last() }
                        .map(String::from)
                        .unwrap_or_default(),
                )),
                other => Err(format!("{name}() of {}", short(other))),
            }
        }
        "split" => {
            arity(name, a, 2, 2)?;
            let s = as_str(name, &a[0])?;
            let delims: Vec<String> = match &a[1] {
                Value::Array(l) => l.iter().map(text).collect(),
                other => vec![text(other)],
            };
            // Each match adds at most one piece: refuse before building a list that is too big.
            let pieces = delims
                .iter()
                .filter(|d| !d.is_empty())
                .fold(1usize, |n, d| n.saturating_add(s.matches(d.as_str()).count()));
            if pieces.saturating_mul(64).saturating_add(s.len()) > MAX_VALUE_BYTES {
                return Err(format!("{name}(): {}", too_big(MAX_VALUE_BYTES)));
            }
            let mut parts = vec![s.to_string()];
            for d in delims.iter().filter(|d| !d.is_empty()) {
                parts = parts
                    .iter()
                    .flat_map(|p| p.split(d.as_str()).map(str::to_string).collect::<Vec<_>>())
                    .collect();
            }
            Ok(Value::Array(parts.into_iter().map(Value::String).collect()))
        }
        "replace" => {
            arity(name, a, 3, 3)?;
            let (s, old, new) = (as_str(name, &a[0])?, as_str(name, &a[1])?, as_str(name, &a[2])?);
            if new.len() > old.len() {
                // Known before building it: matches × growth (an empty `old` matches between
                // every two characters).
                let matches = if old.is_empty() {
                    s.chars().count() + 1
                } else {
                    s.matches(old).count()
                };
                let grown = matches
                    .checked_mul(new.len() - old.len())
                    .and_then(|g| g.checked_add(s.len()));
                if grown.is_none_or(|n| n > MAX_VALUE_BYTES) {
                    return Err(format!("{name}(): {}", too_big(MAX_VALUE_BYTES)));
                }
            }
            Ok(Value::String(s.replace(old, new)))
        }
        "trim" => {
            arity(name, a, 1, 1)?;
            Ok(Value::String(as_str(name, &a[0])?.trim().to_string()))
        }
        "substring" => {
            arity(name, a, 2, 3)?;
            let chars: Vec<char> = as_str(name, &a[0])?.chars().collect();
            let start = as_int(name, &a[1])?.max(0) as usize;
            let len = match a.get(2) {
                Some(v) => as_int(name, v)?.max(0) as usize,
                None => chars.len().saturating_sub(start),
            };
            if start.checked_add(len).is_none_or(|end| end > chars.len()) {
                return Err(format!("substring(): {start}+{len} is past the end ({})", chars.len()));
            }
            Ok(Value::String(chars[start..start + len].iter().collect()))
        }
        "contains" => {
            arity(name, a, 2, 2)?;
            Ok(Value::Bool(match &a[0] {
                Value::Array(l) => l.contains(&a[1]),
                Value::String(s) => s.contains(&text(&a[1])),
                Value::Object(o) => o.contains_key(&text(&a[1])),
                other => return Err(format!("contains() on {}", short(other))),
            }))
        }
        "startswith" | "endswith" => {
            arity(name, a, 2, 2)?;
            let s = as_str(name, &a[0])?.to_lowercase();
            let p = as_str(name, &a[1])?.to_lowercase();
            Ok(Value::Bool(if f == "startswith" {
                s.starts_with(&p)
            } else {
                s.ends_with(&p)
            }))
        }
        "indexof" => {
            arity(name, a, 2, 2)?;
            let s = as_str(name, &a[0])?.to_lowercase();
            let p = as_str(name, &a[1])?.to_lowercase();
            Ok(int(s.find(&p).map(|i| s[..i].chars().count() as i64).unwrap_or(-1)))
        }
        "padleft" => {
            arity(name, a, 2, 3)?;
            let s = text(&a[0]);
            let width = as_int(name, &a[1])?.clamp(0, 10_000) as usize;
            let pad = a.get(2).map(text).unwrap_or_else(|| " ".into());
            let pad = pad.chars().next().unwrap_or(' ');
            let n = s.chars().count();
            Ok(Value::String(
                std::iter::repeat_n(pad, width.saturating_sub(n)).collect::<String>() + &s,
            ))
        }
        "createarray" => Ok(Value::Array(a.to_vec())),
        "array" => {
            arity(name, a, 1, 1)?;
            Ok(match &a[0] {
                Value::Array(_) => a[0].clone(),
                other => Value::Array(vec![other.clone()]),
            })
        }
        "createobject" => {
            if a.len() % 2 != 0 {
                return Err("createObject() takes key/value pairs".into());
            }
            let mut o = Map::new();
            for pair in a.chunks(2) {
                o.insert(as_str(name, &pair[0])?.to_string(), pair[1].clone());
            }
            Ok(Value::Object(o))
        }
        "union" => {
            if a.iter().all(Value::is_array) {
                // Deduplicated by JSON text: linear, whatever the list lengths.
                let mut seen = std::collections::HashSet::new();
                let mut out: Vec<Value> = Vec::new();
                for v in a.iter().filter_map(Value::as_array).flatten() {
                    if seen.insert(v.to_string()) {
                        out.push(v.clone());
                    }
                }
                Ok(Value::Array(out))
            } else if a.iter().all(Value::is_object) {
                let mut o = Map::new();
                for (k, v) in a.iter().filter_map(Value::as_object).flatten() {
                    o.insert(k.clone(), v.clone());
                }
                Ok(Value::Object(o))
            } else {
                Err("union() takes only lists or only objects".into())
            }
        }
        "coalesce" => Ok(a.iter().find(|v| !v.is_null()).cloned().unwrap_or(Value::Null)),
        "range" => {
            arity(name, a, 2, 2)?;
            let start = as_int(name, &a[0])?;
            let count = as_int(name, &a[1])?;
            if !(0..=10_000).contains(&count) {
                return Err(format!("range(): count {count} is out of 0..10000"));
            }
            let end = start
                .checked_add(count)
                .ok_or_else(|| format!("range(): {start} + {count} overflows"))?;
            Ok(Value::Array((start..end).map(int).collect()))
        }
        "take" | "skip" => {
            arity(name, a, 2, 2)?;
            let n = as_int(name, &a[1])?.max(0) as usize;
            match &a[0] {
                Value::Array(l) => Ok(Value::Array(if f == "take" {
                    l.iter().take(n).cloned().collect()
                } else {
                    l.iter().skip(n).cloned().collect()
                })),
                Value::String(s) => Ok(Value::String(if f == "take" {
                    s.chars().take(n).collect()
                } else {
                    s.chars().skip(n).collect()
                })),
                other => Err(format!("{name}() of {}", short(other))),
            }
        }
        "add" | "sub" | "mul" | "div" | "mod" => {
            arity(name, a, 2, 2)?;
            let (x, y) = (as_int(name, &a[0])?, as_int(name, &a[1])?);
            let r = match f {
                "add" => x.checked_add(y),
                "sub" => x.checked_sub(y),
                "mul" => x.checked_mul(y),
                "div" => x.checked_div(y),
                _ => x.checked_rem(y),
            };
            r.map(int)
                .ok_or_else(|| format!("{name}({x}, {y}) overflows or divides by zero"))
        }
        "min" | "max" => {
            let list: Vec<Value> = match a {
                [Value::Array(l)] => l.clone(),
                other => other.to_vec(),
            };
            let ints: Vec<i64> = list.iter().map(|v| as_int(name, v)).collect::<Result<_, _>>()?;
            let r = if f == "min" { ints.iter().min() } else { ints.iter().max() };
            r.map(|v| int(*v))
                .ok_or_else(|| format!("{name}() of an empty list"))
        }
        "reference" | "listkeys" | "listsecrets" => Err(format!(
            "{name}() reads the state of a deployed resource, which a template does not contain; pass the value with --param or analyse an export of the deployed resources"
        )),
        _ if f.starts_with("list") => Err(format!(
            "{name}() reads the state of a deployed resource, which a template does not contain"
        )),
        "uniquestring" | "newguid" | "utcnow" | "deployment" | "environment" | "guid" => Err(format!(
            "{name}() depends on Azure at deployment time and is not evaluated by p2s-sim; give the value as a parameter instead"
        )),
        _ => Err(format!("unknown function '{name}()'")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct S(HashMap<&'static str, Value>);
    impl Scope for S {
        fn parameter(&self, name: &str) -> Result<Value, String> {
            self.0
                .get(name)
                .cloned()
                .ok_or_else(|| format!("no parameter '{name}'"))
        }
        fn variable(&self, name: &str) -> Result<Value, String> {
            Err(format!("no variable '{name}'"))
        }
        fn copy_index(&self, _: Option<&str>) -> Result<i64, String> {
            Ok(2)
        }
        fn subscription_id(&self) -> String {
            "sub".into()
        }
        fn resource_group(&self) -> String {
            "rg".into()
        }
        fn location(&self) -> String {
            "loc".into()
        }
    }

    fn ev(text: &str) -> Result<Value, String> {
        let s = S(HashMap::from([
            ("name", Value::String("hub".into())),
            ("n", Value::from(3)),
            ("list", serde_json::json!(["a", "b"])),
        ]));
        evaluate_string(text, &s)
    }

    #[test]
    fn functions_network_templates_use() {
        assert_eq!(
            ev("[concat(parameters('name'), '-', copyIndex(1))]").unwrap(),
            "hub-3"
        );
        assert_eq!(
            ev("[format('{0}/{1}', 'a', parameters('n'))]").unwrap(),
            "a/3"
        );
        assert_eq!(ev("[toLower('AbC')]").unwrap(), "abc");
        assert_eq!(
            ev("[if(equals(parameters('n'), 3), 'yes', 'no')]").unwrap(),
            "yes"
        );
        assert_eq!(ev("[not(equals('a', 'b'))]").unwrap(), true);
        assert_eq!(
            ev("[resourceId('Microsoft.Network/virtualNetworks/subnets', 'v', 'GatewaySubnet')]").unwrap(),
            "/subscriptions/sub/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/GatewaySubnet"
        );
        assert_eq!(
            ev("[resourceId('Microsoft.Network/virtualNetworks/', 'v')]").unwrap(),
            "/subscriptions/sub/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v"
        );
        assert_eq!(ev("[resourceGroup().location]").unwrap(), "loc");
        assert_eq!(ev("[parameters('list')[1]]").unwrap(), "b");
        assert_eq!(
            ev("[first(split('10.0.0.1,10.0.0.2', ','))]").unwrap(),
            "10.0.0.1"
        );
        assert_eq!(ev("[[literal]").unwrap(), "[literal]");
        assert_eq!(ev("plain").unwrap(), "plain");
        assert_eq!(ev("['it''s']").unwrap(), "it's");
        assert_eq!(ev("[if(true, 'a', parameters('missing'))]").unwrap(), "a");
    }

    #[test]
    fn hostile_arguments_do_not_panic() {
        assert!(ev("[substring('abc', 1, 9223372036854775807)]").is_err());
        assert_eq!(
            ev("[padLeft('7', 99999999, '0')]")
                .unwrap()
                .as_str()
                .unwrap()
                .len(),
            10_000
        );
        assert!(ev("[subscriptionResourceId('Microsoft.Network/')]").is_err());
        assert!(ev("[format('{9}', 'a')]").is_err());
        assert!(ev("[createArray(1, 2)[5]]").is_err());
        assert!(ev("[div(1, 0)]").is_err());
        assert!(ev("[").is_err() || ev("[").is_ok());
        assert!(ev("[']").unwrap_err().contains("unterminated"));
        // Arithmetic on numbers from the input is checked (a panic in debug builds before).
        assert!(ev("[range(9223372036854775807, 5)]")
            .unwrap_err()
            .contains("overflows"));
        assert!(ev("[copyIndex(9223372036854775807)]")
            .unwrap_err()
            .contains("overflows"));
        assert!(ev("[format('{18446744073709551615}', 'a')]").is_err());
    }

    #[test]
    fn failures_say_why() {
        assert!(ev("[foo('x')]")
            .unwrap_err()
            .contains("unknown function 'foo()'"));
        assert!(ev("[reference('x').ip]")
            .unwrap_err()
            .contains("deployed resource"));
        assert!(ev("[parameters('missing')]")
            .unwrap_err()
            .contains("missing"));
        assert!(ev("[concat('a']").unwrap_err().contains("expected"));
        assert!(ev("[uniqueString(resourceGroup().id)]")
            .unwrap_err()
            .contains("deployment time"));
    }
}
