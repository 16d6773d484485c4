#!/usr/bin/env python3
"""Known-answer vectors for shiming-sign, computed by the vendors' own code and formulas.

wapi -> wapi.json
    Both wapi documents end with a Python sample (from the line `#!/usr/bin/python3` to the end
    of the file). This script reads the documents at run time -- their text and code are never
    copied into the repository -- and runs the sample's own signing code on our fixed inputs:
    it edits the sample's syntax tree to replace the values assigned to `api_url`, `appid`,
    `secret` and (except in the `sample_data` case) `data`, and executes it with stand-ins for
    the modules it imports, so that `time.time()` returns our fixed clock and the URL opener
    records the URL the sample would fetch, then stops the sample before any network access.

ihuyi -> ihuyi.json
    The document gives a PHP formula (`$password = md5($account.$apikey.$app...)`) and a worked
    example for each of Submit and GetNum. This script reads the formulas' term order from the
    document, checks that it reproduces each worked example's string exactly, then computes
    the vectors with hashlib.

Usage: generate.py [--docs DIR] [--out DIR]
    --docs  folder with the vendor documents (default: ../shared/vendor-docs beside the
            repository, found from this file's location)
    --out   where to write wapi.json and ihuyi.json (default: this file's folder)

Standard library only. Output is deterministic: running it twice gives identical bytes.
"""

import argparse
import ast
import builtins
import hashlib
import json
import pathlib
import re
import string
import sys
import types
import urllib.error
import urllib.parse
import urllib.request

HERE = pathlib.Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[3]  # crates/sign/tests/vectors -> repository root
DEFAULT_DOCS = REPO_ROOT.parent / "shared" / "vendor-docs"

WAPI_DOCUMENTS = ("wapi-mobile-two-elements.txt", "wapi-idcard-two-elements.txt")
IHUYI_DOCUMENT = "ihuyi-operator-status.txt"
SAMPLE_START = "#!/usr/bin/python3"
# wapi's host is per account; the samples say "shown after login". We keep the path.
TEST_ORIGIN = "https://example.invalid"
MASK = "***"

SECRET_A = "0123456789abcdef0123456789abcdef"
SECRET_B = "5f4dcc3b5aa765d61d8327deb882cf99"
SECRET_C = "ABCDEF0123456789abcdef0123456789"  # case is kept: no folding anywhere

# Our inputs, per document. `data: None` keeps the sample's own data dict (only appid, secret,
# clock and host change). Keys are deliberately out of order and include empty values, which
# the sample (and wapi) leave out. The ID numbers and mobiles are made up.
WAPI_CASES = {
    "wapi-mobile-two-elements.txt": [
        {"case": "sample_data", "appid": "1", "secret": SECRET_A, "time": 1604973925, "data": None},
        {
            "case": "three_char_name",
            "appid": "10086",
            "secret": SECRET_A,
            "time": 1651544941,
            "data": {"mobile": "13800138000", "bank_name": "欧阳娜", "format": "json", "appid": "1"},
        },
        {
            "case": "empty_values_left_out",
            "appid": "20001",
            "secret": SECRET_B,
            "time": 1700000000,
            "data": {
                "appid": "1",
                "bank_name": "李四",
                "debug": "",
                "format": "json",
                "callback": "",
                "mobile": "15912345678",
            },
        },
        {
            "case": "jsonp_with_callback",
            "appid": "777",
            "secret": SECRET_B,
            "time": 1577695766,
            "data": {
                "format": "jsonp",
                "callback": "jQuery_1234",
                "mobile": "18600001111",
                "bank_name": "阿卜杜热西提·买买提",
                "appid": "1",
            },
        },
        {
            "case": "xml_debug_four_byte_char",
            "appid": "9",
            "secret": SECRET_C,
            "time": 1767225600,
            "data": {"debug": "1", "format": "xml", "bank_name": "𠮷田", "mobile": "17000000000", "appid": "1"},
        },
    ],
    "wapi-idcard-two-elements.txt": [
        {"case": "sample_data", "appid": "1", "secret": SECRET_A, "time": 1604973925, "data": None},
        {
            "case": "id_with_x",
            "appid": "10086",
            "secret": SECRET_B,
            "time": 1651544941,
            "data": {"bank_name": "王小明", "bank_id": "11010519491231002X", "format": "json", "appid": "1"},
        },
        {
            "case": "empty_format_left_out",
            "appid": "31415",
            "secret": SECRET_C,
            "time": 2000000000,
            "data": {"appid": "1", "bank_id": "440301199001011234", "bank_name": "诸葛亮", "format": ""},
        },
        {
            "case": "nine_digit_time",
            "appid": "2",
            "secret": SECRET_A,
            "time": 999999999,
            "data": {"format": "xml", "appid": "1", "bank_name": "张三丰", "bank_id": "362536199105034456"},
        },
    ],
}

# ihuyi inputs beyond the document's worked examples (made-up account, key and numbers).
IHUYI_CASES = [
    {"account": "C12345678", "apikey": SECRET_A, "mobile": "13800138000", "time": 1604973925},
    {"account": "C12345678", "apikey": SECRET_A, "mobile": "19912345678", "time": 1700000000},
    {"account": "cf_87654321", "apikey": SECRET_C, "mobile": "17000000000", "time": 999999999},
]


class SampleStopped(Exception):
    """Raised by the stand-in opener: the sample got as far as the network call."""


def fail(message):
    sys.exit(f"generate.py: {message}")


def read_document(docs, name):
    path = docs / name
    if not path.is_file():
        fail(f"missing vendor document {path}")
    return path.read_text(encoding="utf-8")


# ---------------------------------------------------------------- wapi


def extract_sample(text, name):
    """The Python sample: from the line `#!/usr/bin/python3` to the end of the document."""
    match = re.search(r"^" + re.escape(SAMPLE_START) + r"$", text, flags=re.MULTILINE)
    if match is None:
        fail(f"{name}: no line {SAMPLE_START!r}; the document changed")
    return text[match.start():]


def substitute(tree, name, replacements):
    """Replaces the value of each top-level `NAME = ...` assignment named in `replacements`.

    A replacement is a function from the old value's syntax node to the new Python value.
    Each name must be assigned exactly once, or the sample is not the one we know.
    """
    seen = dict.fromkeys(replacements, 0)
    for statement in tree.body:
        if (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
            and statement.targets[0].id in replacements
        ):
            target = statement.targets[0].id
            seen[target] += 1
            value = replacements[target](statement.value)
            statement.value = ast.copy_location(ast.parse(repr(value), mode="eval").body, statement.value)
    for target, count in seen.items():
        if count != 1:
            fail(f"{name}: the sample assigns `{target}` {count} times (expected once); the document changed")
    ast.fix_missing_locations(tree)


def sample_modules(now, captured):
    """Stand-ins for the modules the sample imports; anything else is refused."""

    class CapturingOpener:
        def open(self, fullurl, data=None, timeout=None):
            url = fullurl.full_url if isinstance(fullurl, urllib.request.Request) else fullurl
            captured.append(url)
            raise SampleStopped

    request = types.SimpleNamespace(
        Request=urllib.request.Request,  # building a Request does no I/O
        build_opener=lambda *handlers: CapturingOpener(),
    )
    return {
        "time": types.SimpleNamespace(time=lambda: float(now)),
        "ssl": types.SimpleNamespace(_create_unverified_context=None, _create_default_https_context=None),
        "urllib": types.SimpleNamespace(request=request, parse=urllib.parse, error=urllib.error),
        "urllib.parse": urllib.parse,
        "hashlib": hashlib,
        "string": string,
    }


def run_sample(sample, name, case):
    tree = ast.parse(sample, filename=name)

    def keep_path(node):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            fail(f"{name}: `api_url` is not a string literal; the document changed")
        return TEST_ORIGIN + urllib.parse.urlsplit(node.value).path

    replacements = {
        "api_url": keep_path,
        "appid": lambda node: case["appid"],
        "secret": lambda node: case["secret"],
    }
    if case["data"] is not None:
        replacements["data"] = lambda node: dict(case["data"])
    substitute(tree, name, replacements)

    captured = []
    modules = sample_modules(case["time"], captured)

    def sample_import(module, globals=None, locals=None, fromlist=(), level=0):
        if level != 0 or module not in modules:
            raise ImportError(f"the sample imports {module!r}, which generate.py does not provide")
        return modules[module]

    sample_builtins = dict(vars(builtins), __import__=sample_import)
    namespace = {"__builtins__": sample_builtins, "__name__": "wapi_sample"}
    try:
        exec(compile(tree, name, "exec"), namespace)
    except SampleStopped:
        pass
    else:
        fail(f"{name}: the sample finished without opening a URL; the document changed")
    if len(captured) != 1:
        fail(f"{name}: the sample opened {len(captured)} URLs (expected one)")

    url = captured[0]
    secret = case["secret"]
    hashed = namespace["md5String"]
    if not hashed.endswith(secret):
        fail(f"{name}: the sample's md5String does not end with the secret")
    return {
        "document": name,
        "case": case["case"],
        "appid": case["appid"],
        "secret": secret,
        "time": case["time"],
        # The parameters as the sample holds them just before signing, in its dict order
        # (unsorted on purpose), empty values included.
        "params": [[key, str(value)] for key, value in namespace["data"].items()],
        "canonical_masked": hashed[: -len(secret)] + MASK,
        "sign": namespace["sign"],
        "url": url,
        "query": url.split("?", 1)[1],
    }


def wapi_vectors(docs):
    vectors = []
    for name in WAPI_DOCUMENTS:
        sample = extract_sample(read_document(docs, name), name)
        for case in WAPI_CASES[name]:
            vectors.append(run_sample(sample, name, case))
    return vectors


# ---------------------------------------------------------------- ihuyi

FORMULA = re.compile(r"\$password\s*=\s*md5\(\s*(\$\w+(?:\s*\.\s*\$\w+)*)\s*\)")
RESULT = re.compile(r'md5\("([^"]*)"\)')
# Lines of a worked example, e.g. `APIID:test`; the key names the formula's variable.
EXAMPLE_TERMS = {"APIID": "account", "APIKEY": "apikey", "app": "app", "mobile": "mobile", "time": "time"}
EXAMPLE_LINE = re.compile(r"^(APIID|APIKEY|app|mobile|time):(\S+)")


def ihuyi_formulas(text):
    """[(terms, worked example)] in document order: Submit first, then GetNum."""
    formulas = []
    terms = None
    example = {}
    for line in text.splitlines():
        formula = FORMULA.search(line)
        if formula:
            terms = [term.strip().lstrip("$") for term in formula.group(1).split(".")]
            example = {}
            continue
        field = EXAMPLE_LINE.match(line.strip())
        if field and terms is not None:
            example[EXAMPLE_TERMS[field.group(1)]] = field.group(2)
            continue
        result = RESULT.search(line)
        if result and terms is not None:
            formulas.append((terms, example, result.group(1)))
            terms = None
    if len(formulas) != 2:
        fail(f"{IHUYI_DOCUMENT}: found {len(formulas)} formulas with worked examples (expected 2)")
    return formulas


def ihuyi_vector(terms, values, source):
    missing = [term for term in terms if term not in values]
    if missing:
        fail(f"{IHUYI_DOCUMENT}: no value for {missing}")
    hashed = "".join(values[term] for term in terms)
    masked = "".join(MASK if term == "apikey" else values[term] for term in terms)
    return {
        "source": source,
        "operation": "submit" if "mobile" in terms else "getnum",
        "account": values["account"],
        "apikey": values["apikey"],
        "mobile": values["mobile"] if "mobile" in terms else None,
        "time": int(values["time"]),
        "canonical_masked": masked,
        "password": hashlib.md5(hashed.encode("utf-8")).hexdigest(),
    }


def ihuyi_vectors(docs):
    vectors = []
    for terms, example, documented in ihuyi_formulas(read_document(docs, IHUYI_DOCUMENT)):
        if example.get("app") != "operzwsc":
            fail(f"{IHUYI_DOCUMENT}: the fixed app term is {example.get('app')!r}, not 'operzwsc'")
        ours = "".join(example.get(term, "") for term in terms)
        if ours != documented:
            fail(f"{IHUYI_DOCUMENT}: formula {terms} gives {ours!r}, the worked example says {documented!r}")
        vectors.append(ihuyi_vector(terms, example, "worked example"))
        for case in IHUYI_CASES:
            values = {"app": "operzwsc", **{key: str(value) for key, value in case.items()}}
            vectors.append(ihuyi_vector(terms, values, "formula"))
    return vectors


# ---------------------------------------------------------------- output


def write_json(path, about, vectors):
    document = {"about": about, "generator": "crates/sign/tests/vectors/generate.py", "vectors": vectors}
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    # One `[key, value]` pair per line reads far better than four lines per pair.
    text = re.sub(r'\[\s+("(?:[^"\\]|\\.)*"),\s+("(?:[^"\\]|\\.)*")\s+\]', r"[\1, \2]", text)
    path.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {len(vectors)} vectors to {path}", file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=pathlib.Path, default=DEFAULT_DOCS)
    parser.add_argument("--out", type=pathlib.Path, default=HERE)
    args = parser.parse_args()
    if not args.docs.is_dir():
        fail(f"vendor documents not found at {args.docs}")
    args.out.mkdir(parents=True, exist_ok=True)
    write_json(
        args.out / "wapi.json",
        "wapi sign values computed by running the Python samples of "
        + " and ".join(WAPI_DOCUMENTS)
        + " on fixed inputs. Generated; do not edit.",
        wapi_vectors(args.docs),
    )
    write_json(
        args.out / "ihuyi.json",
        "ihuyi dynamic passwords from the formula and worked examples of "
        + IHUYI_DOCUMENT
        + ", computed with hashlib. Generated; do not edit.",
        ihuyi_vectors(args.docs),
    )


if __name__ == "__main__":
    main()
