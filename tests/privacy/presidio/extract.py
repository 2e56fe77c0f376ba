#!/usr/bin/env python3
"""Regenerate the JSON case files in this directory from Presidio's tests.

Usage: python3 extract.py <presidio git dir> [commit]

Not run by any build or test; kept so the transcription can be repeated and
checked. It reads the pytest parametrize tables with Python's own parser (ast)
and evaluates each literal with ast.literal_eval, so string escapes, implicit
concatenation and f-strings without placeholders come out exactly as Python
sees them. Comments come from the tokenizer.
"""
import ast
import io
import json
import subprocess
import sys
import tokenize
from pathlib import Path

HERE = Path(__file__).resolve().parent
MAX_SCORE = 1.0  # EntityRecognizer.MAX_SCORE, the conftest `max_score` fixture
PHONE_DEFAULT_REGIONS = ["US", "UK", "DE", "FR", "IL", "IN", "CA", "BR"]

FILES = {
    "card": "presidio-analyzer/tests/test_credit_card_recognizer.py",
    "email": "presidio-analyzer/tests/test_email_recognizer.py",
    "iban": "presidio-analyzer/tests/test_iban_recognizer.py",
    "phone": "presidio-analyzer/tests/test_phone_recognizer.py",
    "ssn": "presidio-analyzer/tests/test_us_ssn_recognizer.py",
    "ip": "presidio-analyzer/tests/test_ip_recognizer.py",
    # Supplementary: the same PhoneRecognizer, set up for one region each.
    "phone-tr": "presidio-analyzer/tests/test_tr_phone_number_recognizer.py",
    "phone-ph": "presidio-analyzer/tests/test_ph_mobile_number_recognizer.py",
}
REGION_ONLY = {
    "phone-tr": {"supported_regions": ["TR"], "leniency": 1, "supported_entity": "TR_PHONE_NUMBER"},
    "phone-ph": {"supported_regions": ["PH"], "leniency": 1, "supported_entity": "PH_MOBILE_NUMBER"},
}


def git(gitdir, *args):
    return subprocess.run(
        ["git", "--git-dir", gitdir, *args], check=True, capture_output=True, text=True
    ).stdout


def literal(node):
    # f"..." with no placeholders is a JoinedStr of Constants only.
    if isinstance(node, ast.JoinedStr):
        if all(isinstance(v, ast.Constant) for v in node.values):
            return "".join(v.value for v in node.values)
        raise ValueError(f"f-string with placeholders at line {node.lineno}")
    if isinstance(node, ast.Tuple):
        return tuple(literal(e) for e in node.elts)
    if isinstance(node, ast.List):
        return [literal(e) for e in node.elts]
    return ast.literal_eval(node)


def comments_by_line(src):
    out = {}
    for tok in tokenize.generate_tokens(io.StringIO(src).readline):
        if tok.type == tokenize.COMMENT:
            text = tok.string.lstrip("#").strip()
            full_line = tok.line.strip().startswith("#")
            out[tok.start[0]] = (text, full_line)
    return out


def tables(src):
    """Yield (function name, argnames, [(index, lineno, values, comments)])."""
    tree = ast.parse(src)
    comments = comments_by_line(src)
    for fn in tree.body:
        if not isinstance(fn, ast.FunctionDef):
            continue
        for dec in fn.decorator_list:
            if not (
                isinstance(dec, ast.Call)
                and isinstance(dec.func, ast.Attribute)
                and dec.func.attr == "parametrize"
            ):
                continue
            argnames = [a.strip() for a in literal(dec.args[0]).split(",")]
            rows = []
            section = None
            prev_end = dec.args[1].lineno
            for i, elt in enumerate(dec.args[1].elts):
                block = [
                    comments[ln][0]
                    for ln in range(prev_end + 1, elt.lineno)
                    if ln in comments and comments[ln][1]
                    and not comments[ln][0].startswith("fmt:")
                ]
                if block:
                    section = " / ".join(block)
                trailing = [
                    comments[ln][0]
                    for ln in range(elt.lineno, elt.end_lineno + 1)
                    if ln in comments and not comments[ln][1]
                    and not comments[ln][0].startswith("noqa")
                ]
                values = dict(zip(argnames, literal(elt)))
                if isinstance(elt.elts[0], ast.JoinedStr):
                    trailing = trailing + [
                        "(the text is written as an f-string with no placeholders)"
                    ]
                rows.append((i, elt.lineno, values, section, trailing))
                prev_end = elt.end_lineno
            yield fn.name, argnames, rows


def spans(positions, count, scores):
    """positions: tuple of (start, end); scores: per-span dicts."""
    if len(positions) > count:
        raise ValueError("more positions than expected_len")
    out = []
    for j in range(count):
        if j < len(positions):
            st, en = positions[j]
            out.append({"start": st, "end": en, **scores(j)})
        else:
            # The test gives the number of matches but not where they are.
            out.append({"start": None, "end": None, "score": None})
    return out


def note_of(fn, idx, section, trailing, extra):
    parts = [f"{fn}, case {idx}"]
    if section:
        parts.append(f"nearest comment above in the table: {section}")
    flags = [t for t in trailing if t.startswith("(")]
    trailing = [t for t in trailing if not t.startswith("(")]
    if trailing:
        parts.append("comment on the case: " + " ".join(trailing))
    parts.extend(f[1:-1] for f in flags)
    parts.extend(extra)
    return "; ".join(parts)


def build(kind, src):
    cases = []
    for fn, argnames, rows in tables(src):
        for idx, line, v, section, trailing in rows:
            extra = []
            case = {}
            if kind in ("card", "email", "iban"):
                text = v["iban"] if kind == "iban" else v["text"]
                pos = v.get("expected_res", v.get("expected_positions"))
                explicit = v.get("expected_scores", ())
                if explicit:
                    extra.append(f"explicit expected_scores {list(explicit)}")
                exp = spans(
                    pos, v["expected_len"],
                    lambda j: {"score": explicit[j] if j < len(explicit) else MAX_SCORE},
                )
            elif kind == "phone":
                text = v["text"]
                expl = v.get("expected_textual_explanations")
                exp = spans(
                    v["expected_positions"], v["expected_len"],
                    lambda j: {"score": v["score"],
                               **({"textual_explanation": expl[j]} if expl else {})},
                )
                if fn == "test_when_all_phones_then_succeed":
                    regions = PHONE_DEFAULT_REGIONS + ["JP", "CN"]
                    leniency = 1
                else:
                    regions = PHONE_DEFAULT_REGIONS
                    leniency = v.get("leniency", 1)
                case["recognizer"] = {"supported_regions": regions, "leniency": leniency}
                extra.append(
                    f"PhoneRecognizer(supported_regions={'DEFAULT_SUPPORTED_REGIONS + (JP, CN)' if len(regions) > 8 else 'DEFAULT_SUPPORTED_REGIONS'}, leniency={leniency})"
                )
                if expl:
                    regs = [e.split(" region")[0].replace("Recognized as ", "") for e in expl]
                    extra.append("regions per match (from the test's textual explanations): " + ", ".join(regs))
            elif kind in ("ssn", "ip", "phone-tr", "phone-ph"):
                text = v["text"]
                ranges = v["expected_score_ranges"]
                for r in ranges:
                    if "max" in r:
                        raise ValueError("'max' score range not handled")
                exp = spans(
                    v["expected_positions"], v["expected_len"],
                    lambda j: {"score": None, "score_min": ranges[j][0], "score_max": ranges[j][1]},
                )
                if len(v["expected_positions"]) < v["expected_len"]:
                    extra.append(
                        f"the test expects {v['expected_len']} match(es) but gives no position or score for them"
                    )
            else:
                raise ValueError(kind)
            if kind in REGION_ONLY:
                case["recognizer"] = REGION_ONLY[kind]
                extra.append(
                    "PhoneRecognizer(supported_regions=[{0}], supported_entity={1}), "
                    "region {0} only".format(
                        REGION_ONLY[kind]["supported_regions"][0],
                        REGION_ONLY[kind]["supported_entity"],
                    )
                )
            cases.append({
                "text": text,
                "expected": exp,
                "note": note_of(fn, idx, section, trailing, extra),
                "test": fn,
                "param_index": idx,
                "line": line,
                **case,
            })
    return cases


def main():
    gitdir = sys.argv[1]
    commit = sys.argv[2] if len(sys.argv) > 2 else git(gitdir, "rev-parse", "HEAD").strip()
    licence = git(gitdir, "show", f"{commit}:LICENSE")
    copyright_line = next(l for l in licence.splitlines() if l.startswith("Copyright"))
    for kind, path in FILES.items():
        src = git(gitdir, "show", f"{commit}:{path}")
        doc = {
            "source": {
                "repository": "microsoft/presidio",
                "commit": commit,
                "path": path,
                "licence": "MIT",
                "copyright": copyright_line,
            },
            "cases": build(kind, src),
        }
        (HERE / f"{kind}.json").write_text(
            json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        n = len(doc["cases"])
        m = sum(1 for c in doc["cases"] if c["expected"])
        print(f"{kind}: {n} cases, {m} expect a match")


if __name__ == "__main__":
    main()
