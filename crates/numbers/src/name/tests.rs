use super::*;

#[test]
fn look_alike_dots_become_the_separator() {
    for dot in ['•', '・', '．', '‧', '⋅', '∙', '･', '.'] {
        let typed = format!("阿依古丽{dot}买买提");
        assert_eq!(normalize(&typed), "阿依古丽·买买提", "{dot:?}");
        assert_eq!(check(&typed), Ok(()), "{dot:?}");
    }
    assert!(matches!(normalize("阿依古丽·买买提"), Cow::Borrowed(_)));
}

#[test]
fn spaces_go_from_han_names_and_collapse_in_latin_ones() {
    for (typed, normalized) in [
        (" 张 三\u{3000}", "张三"),
        ("阿依古丽 · 买买提", "阿依古丽·买买提"),
        ("  JOHN \t  SMITH  ", "JOHN SMITH"),
        ("ＪＯＨＮ，ＳＭＩＴＨ", "JOHN,SMITH"),
        ("O'NEIL, MARY-ANNE", "O'NEIL, MARY-ANNE"),
        ("", ""),
    ] {
        assert_eq!(normalize(typed), normalized, "{typed:?}");
    }
    assert!(matches!(normalize("张三"), Cow::Borrowed(_)));
}

#[test]
fn names_people_carry_pass() {
    for name in [
        "张三",
        "欧阳娜娜",
        "阿卜杜热合曼·阿卜杜热西提",
        "李〇",
        "𠀀𪚥", // extension B and a plane-2 character
        "ZHANG, SAN",
        "O'NEIL, MARY-ANNE",
        "José Müller",
        "JOHN F. KENNEDY",
    ] {
        assert_eq!(check(name), Ok(()), "{name}");
    }
}

#[test]
fn hostile_or_impossible_names_are_refused() {
    let cases: &[(&str, NameProblem)] = &[
        ("", NameProblem::Empty),
        (" \u{3000}", NameProblem::Empty),
        ("=1+1", NameProblem::FormulaStart { found: '=' }),
        (" +张三", NameProblem::FormulaStart { found: '+' }),
        ("-SMITH", NameProblem::FormulaStart { found: '-' }),
        ("@SUM(A1)", NameProblem::FormulaStart { found: '@' }),
        ("＝1", NameProblem::FormulaStart { found: '=' }),
        ("张三1", NameProblem::Digit { position: 3 }),
        ("13800138000", NameProblem::Digit { position: 1 }),
        (
            "张\u{202e}三",
            NameProblem::Invisible {
                position: 2,
                code: 0x202e,
            },
        ),
        (
            "张\u{2066}三",
            NameProblem::Invisible {
                position: 2,
                code: 0x2066,
            },
        ),
        (
            "张\u{200e}三",
            NameProblem::Invisible {
                position: 2,
                code: 0x200e,
            },
        ),
        (
            "张\u{200b}三",
            NameProblem::Invisible {
                position: 2,
                code: 0x200b,
            },
        ),
        (
            "张\u{0}三",
            NameProblem::Invisible {
                position: 2,
                code: 0,
            },
        ),
        (
            "\u{feff}张三",
            NameProblem::Invisible {
                position: 1,
                code: 0xfeff,
            },
        ),
        (
            "张三★",
            NameProblem::Character {
                position: 3,
                code: 0x2605,
            },
        ),
        (
            "张-三",
            NameProblem::Character {
                position: 2,
                code: 0x2d,
            },
        ),
        (
            "<script>",
            NameProblem::Character {
                position: 1,
                code: 0x3c,
            },
        ),
        ("张三SMITH", NameProblem::MixedScripts),
        ("·张三", NameProblem::MisplacedSeparator),
        ("张三·", NameProblem::MisplacedSeparator),
        ("张··三", NameProblem::MisplacedSeparator),
        ("JOHN·SMITH", NameProblem::MisplacedSeparator),
        ("','", NameProblem::NoLetters),
    ];
    for (name, problem) in cases {
        assert_eq!(check(name), Err(*problem), "{name:?}");
    }
}

#[test]
fn length_is_capped_after_normalizing() {
    let at_cap = "张".repeat(MAX_CHARS);
    assert_eq!(check(&at_cap), Ok(()));
    let spaced = at_cap.chars().map(|c| format!("{c} ")).collect::<String>();
    assert_eq!(check(&spaced), Ok(()), "spaces in a Han name do not count");
    assert_eq!(
        check(&format!("{at_cap}张")),
        Err(NameProblem::TooLong {
            found: MAX_CHARS + 1,
            max: MAX_CHARS
        })
    );
    let latin = format!("{} B", "A".repeat(MAX_CHARS - 2));
    assert_eq!(check(&latin), Ok(()));
    assert!(check(&format!("{latin}C")).is_err());
}

#[test]
fn messages_never_echo_the_name() {
    for name in [
        "张三1",
        "张\u{202e}三",
        "张三★",
        "张三SMITH",
        "·张三",
        &"张".repeat(65),
    ] {
        let message = check(name).expect_err("refused").to_string();
        assert!(!message.contains('张'), "{message}");
    }
}

#[test]
fn clean_is_normalize_then_check() {
    assert_eq!(clean(" 阿依古丽•买买提 ").as_deref(), Ok("阿依古丽·买买提"));
    assert_eq!(clean("张三1"), Err(NameProblem::Digit { position: 3 }));
}
