//! Tests that bad theme files are reported with file, line, column and role.

use super::*;

fn parse_err(yaml: &str) -> ThemeError {
    Theme::parse(yaml, "themes/x.yaml").unwrap_err()
}

/// Asserts the error's position and that its text names the file, position and role.
fn assert_error(yaml: &str, line: usize, column: usize, role: &str, problem: &str) {
    let err = parse_err(yaml);
    let text = err.to_string();
    assert_eq!(err.origin(), "themes/x.yaml");
    assert_eq!(
        (err.line(), err.column()),
        (Some(line), Some(column)),
        "{text}"
    );
    assert!(
        text.starts_with(&format!("themes/x.yaml:{line}:{column}: ")),
        "{text}"
    );
    assert!(text.contains(&format!("`{role}`")), "role missing: {text}");
    assert!(text.contains(problem), "expected {problem:?} in: {text}");
}

#[test]
fn an_unknown_colour_is_reported_with_file_line_column_and_role() {
    assert_error(
        "name: x\ntext: red\nok: gren\n",
        3,
        5,
        "ok",
        "role `ok`: unknown colour `gren` (expected an ANSI name such as `green`, `#rrggbb` or 0-255)",
    );
    assert_error(
        "text: red\nerror: { bold: true, fg: crimson }\n",
        2,
        26,
        "error",
        "role `error`, field `fg`: unknown colour `crimson`",
    );
}

#[test]
fn an_unknown_role_is_reported_and_the_known_roles_listed() {
    let yaml = "text: red\nsucess: green\n";
    assert_error(yaml, 2, 1, "sucess", "unknown role `sucess`");
    let text = parse_err(yaml).to_string();
    for role in Role::ALL {
        assert!(text.contains(role.name()), "{role} not listed: {text}");
    }
}

#[test]
fn an_unknown_style_key_is_reported() {
    assert_error(
        "ok: { fg: green, blink: true }\n",
        1,
        18,
        "ok",
        "unknown field `blink`, expected one of `fg`, `bg`",
    );
}

#[test]
fn a_bad_hex_colour_is_reported() {
    assert_error(
        "text: red\nwarning: \"#ffd7\"\n",
        2,
        10,
        "warning",
        "bad hex colour `#ffd7`",
    );
    assert_error(
        "selection: { bg: \"#zzzzzz\" }\n",
        1,
        18, // the opening quote
        "selection",
        "bad hex colour",
    );
}

#[test]
fn a_colour_index_above_255_is_reported() {
    assert_error(
        "text: red\n\nlocked: 300\n",
        3,
        9,
        "locked",
        "colour index 300 is out of range (expected 0-255)",
    );
    assert_error("ok: { bg: 256 }\n", 1, 11, "ok", "out of range");
}

#[test]
fn a_value_of_the_wrong_type_is_reported() {
    assert_error(
        "text: red\nstale: [red]\n",
        2,
        8,
        "stale",
        "invalid type: sequence",
    );
    assert_error(
        "header: { bold: \"yes\" }\n",
        1,
        17,
        "header",
        "expected a boolean",
    );
    assert_error(
        "glyphs: emoji\n",
        1,
        9,
        "glyphs",
        "expected `unicode` or `ascii`",
    );
}

#[test]
fn an_unquoted_hex_colour_gets_a_hint() {
    // `#` starts a YAML comment, so `ok: #ff0000` is `ok:` with no value.
    assert_error("ok: #ff0000\n", 1, 4, "ok", "quote `#rrggbb` colours");
}

#[test]
fn a_role_given_twice_is_reported() {
    assert_error(
        "ok: red\ntext: red\nok: blue\n",
        3,
        1,
        "ok",
        "more than once",
    );
}

#[test]
fn yaml_syntax_errors_carry_a_position() {
    let err = parse_err("ok: red\n  - bad\n");
    assert!(err.line().is_some() && err.column().is_some(), "{err}");
    assert!(err.to_string().starts_with("themes/x.yaml:"), "{err}");
}
