//! Escaping for the contexts fixbook writes guide text into: HTML text and
//! attributes, JSON embedded in `<script>` or JS files, and terminals.

/// Escapes text for HTML element content and quoted attribute values.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Serialises `value` as JSON that is safe inside a `<script>` element or a
/// JS file: `<`, `>`, `&` and the JS line separators are written as `\u` escapes,
/// so guide text can never close the script or start a comment.
pub fn script_json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    let json = serde_json::to_string(value).expect("view data always serialises");
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// Is `c` a character a terminal may act on rather than show: C0 controls,
/// DEL, C1 controls (U+009B is CSI on many terminals) and the bidirectional
/// formatting characters that reorder what is shown (Trojan Source)?
pub fn is_terminal_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

/// Text from a guide (file names, messages quoting it) made safe to print
/// on a terminal: every character `is_terminal_unsafe` names becomes
/// visible — a C0 control its Unicode control picture (`␛`, `␇`, `␊`, as
/// the snippet renderer shows them), DEL `␡`, anything else `\u{9b}`.
/// `keep` lists the controls that stay (`"\n"` for multi-line text).
pub fn terminal<'a>(text: &'a str, keep: &str) -> std::borrow::Cow<'a, str> {
    if !text.chars().any(|c| is_terminal_unsafe(c) && !keep.contains(c)) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            c if !is_terminal_unsafe(c) || keep.contains(c) => out.push(c),
            c @ '\0'..='\u{1f}' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('?')),
            '\u{7f}' => out.push('\u{2421}'),
            c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// JSON text with the characters a terminal may act on that JSON allows raw
/// (DEL, C1 controls, bidirectional formatting) written as `\u` escapes;
/// serde_json already escapes C0. Such characters occur only inside strings,
/// so the result is the same JSON value.
pub fn json_for_terminal(json: String) -> String {
    if !json.chars().any(is_terminal_unsafe) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if is_terminal_unsafe(c) && !matches!(c, '\n' | '\r' | '\t') {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_all_five() {
        assert_eq!(html(r#"<a href="x">'&'</a>"#), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    }

    #[test]
    fn script_json_cannot_close_a_script() {
        let s = script_json(&["</script><script>alert(1)</script>", "<!--", "\u{2028}"]);
        assert!(!s.contains('<') && !s.contains('>'), "{s}");
        let back: Vec<String> = serde_json::from_str(&s).unwrap();
        assert_eq!(back[0], "</script><script>alert(1)</script>");
    }

    #[test]
    fn terminal_text_shows_controls_instead_of_obeying_them() {
        let osc52 = "a\u{1b}]52;c;aGk=\u{7}b\u{9b}2J\u{7f}\u{202e}c\r\nd\te.md";
        assert_eq!(terminal(osc52, ""), "a\u{241b}]52;c;aGk=\u{2407}b\\u{9b}2J\u{2421}\\u{202e}c\u{240d}\u{240a}d\u{2409}e.md");
        assert_eq!(terminal("one\ntwo\u{1b}", "\n"), "one\ntwo\u{241b}");
        assert!(matches!(terminal("plain ü 日本", ""), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn json_for_terminal_escapes_what_serde_json_leaves_raw_and_means_the_same() {
        let value = serde_json::json!({ "file": "a\u{1b}]0;t\u{7}\u{9b}\u{7f}\u{202e}.md" });
        let json = json_for_terminal(serde_json::to_string(&value).unwrap());
        assert!(!json.chars().any(is_terminal_unsafe), "{json}");
        assert_eq!(json, r#"{"file":"a\u001b]0;t\u0007\u009b\u007f\u202e.md"}"#);
        assert_eq!(serde_json::from_str::<serde_json::Value>(&json).unwrap(), value);
    }
}
