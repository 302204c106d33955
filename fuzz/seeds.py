#!/usr/bin/env python3
"""Writes the initial seed corpora, fuzz/seeds/<target>/, from the
repository's real inputs: the documents and profiles in data/, the starters,
the markup snapshots, the built-in templates, the filter table of
tests/fixtures/russian.tsv and the bad inputs of tests/errors.rs (with the
ones issue 10 lists). The committed corpora, fuzz/corpus/<target>/, are
these seeds merged with what the fuzzer found and minimised with
`cargo fuzz cmin` (fuzz/README.md).

Run from the repository root: python3 fuzz/seeds.py
"""

import hashlib
import os
import re
import shutil

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fuzz", "seeds")

# Must equal PROFILE_SEPARATOR and COMPONENTS_SEPARATOR of
# tests/fuzz_replay/targets.rs.
PROFILE_SEPARATOR = "\n#%profile\n"
COMPONENTS_SEPARATOR = "\n{#%components#}\n"


def read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return f.read()


def write(target, content):
    data = content.encode("utf-8") if isinstance(content, str) else content
    folder = os.path.join(OUT, target)
    os.makedirs(folder, exist_ok=True)
    # Named by content, as libFuzzer names its corpus files.
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def with_profile(document):
    """A data/ document with the profile it names, in one input."""
    m = re.search(r'^profile = "([^"]+)"', document, re.M)
    if not m:
        return document
    profile = read(os.path.join("data", m.group(1)))
    document = document.replace(m.group(0), 'profile = "profiles/profile.toml"')
    return document + PROFILE_SEPARATOR + profile


GOOD = '''kind = "protocol"

[meeting]
title = "рабочего совещания"
date = 2021-06-24

[[decision]]
text = "Информацию принять к сведению."
'''

# tests/errors.rs, and the inputs issue 10 found wrong.
BAD = [
    GOOD,
    GOOD.replace('title = "рабочего совещания"', 'title = "рабочего совещания'),
    GOOD.replace("date = 2021-06-24\n", ""),
    GOOD.replace('title = "рабочего совещания"', "title = 5"),
    GOOD.replace("date = 2021-06-24", "daet = 2021-06-24\ndate = 2021-06-24"),
    GOOD.replace("2021-06-24", "2021-02-30"),
    GOOD + 'deadline = "до 31.04.2021"\n',
    "\ufeff" + GOOD.replace("\n", "\r\n"),
    GOOD.replace("\n", "\r"),
    GOOD + '\n[[signature]]\nposition = "Секретарь"\nperson = "климова"\n',
    GOOD + 'deadline = "до 01.09.99999"\n',
    GOOD + "votes = { for = 100000000000000000000, against = 0, abstained = 0 }\n",
    GOOD + "[decision.point]\ntext = \"Подпункт.\"\n",
    GOOD + '[[decision]]\ntext = """\nне закрыто\n',
    GOOD.replace("title = ", "chair =\ntitle = "),
    GOOD.replace("рабочего", "рабо\x00чего"),
    GOOD.replace("рабочего", "рабо\x07чего"),
    GOOD + 'text = "дважды"\n',
    GOOD.replace('kind = "protocol"', 'kind = "protocol"\nprofile = "profiles/profile.toml"')
    + PROFILE_SEPARATOR
    + '[organization]\nname = "Отдел"\ncity = "г. Город"\n\n[[people]]\nname = "Иванова Ирина Петровна"\nposition = "начальник отдела"\n',
    GOOD.replace('kind = "protocol"', 'kind = "protocol"\nprofile = "/etc/passwd"'),
    GOOD.replace('kind = "protocol"', 'kind = "protocol"\nprofile = "../../../etc/hostname"'),
    GOOD + "[[decision]]\ntext = \"" + "а" * 5000 + "\"\n",
]

RESOLUTION_TABLE = '''kind = "resolution"

[act]
kind = "ПОСТАНОВЛЕНИЕ"
date = 2021-02-10
number = "227"
title = "Об утверждении плана"

[[point]]
text = "Утвердить план согласно приложению."

[[appendix]]
orientation = "landscape"
title = "План"

[appendix.table]
columns = [
  { title = "Мероприятие", width = %s },
  { title = "Срок", width = %s },
]

[[appendix.table.row]]
cells = ["Провести совещание", "до 01.09.2021"]
'''


def toml_seeds():
    out = []
    for name in sorted(os.listdir(os.path.join(ROOT, "data"))):
        if name.endswith(".toml"):
            out.append(with_profile(read(os.path.join("data", name))))
    for name in sorted(os.listdir(os.path.join(ROOT, "src", "starters"))):
        out.append(read(os.path.join("src", "starters", name)))
    out += BAD
    for widths in [("100", "70"), ("0", "-1"), ("nan", "inf"), ("5000", "1")]:
        out.append(RESOLUTION_TABLE % widths)
    return out


def markup_seeds():
    out = []
    for name in sorted(os.listdir(os.path.join(ROOT, "tests", "snapshots"))):
        if "markup" in name:
            text = read(os.path.join("tests", "snapshots", name))
            # The insta header: "---", its fields, "---".
            out.append(text.split("\n---\n", 2)[-1] if text.startswith("---") else text)
    example = re.search(r"```xml\n(.*?)```", read("docs/MARKUP.md"), re.S)
    if example:
        out.append(example.group(1))
    doc = '<document title="Т"><section orientation="%s">%s</section></document>'
    out += [
        doc % ("portrait", '<image src="герб.png" width="15" height="17"/><p>Текст</p>'),
        doc % ("portrait", '<image src="битый.png"/>'),
        doc % ("portrait", '<image src="нет.png"/>'),
        doc % ("landscape", '<table widths="0 -1 NaN inf"><row header="yes"><cell><p>а</p></cell><cell><p>б</p></cell></row></table>'),
        doc % ("portrait", '<table widths="5000"><row><cell span="4"><p>а</p></cell></row></table>'),
        doc % ("portrait", "<p>" + "а" * 3000 + "</p>"),
        doc % ("portrait", '<list kind="numbered"><item label="1."><p>a</p><list kind="bullet"><item><p>b</p></item></list></item></list>'),
        doc % ("portrait", '<box width="75"><p>УТВЕРЖДАЮ</p></box><signature before="28"><line>Глава</line><name>Э.В.&#160;Кондратов</name></signature><pagebreak/><p size="1e9" indent="-5" before="-1"><b>ж</b><i>к</i><u>п</u><sp>р</sp><br/></p>'),
    ]
    return out


def typography_seeds():
    out = []
    texts = set()
    for name in sorted(os.listdir(os.path.join(ROOT, "data"))):
        if name.endswith(".toml"):
            for m in re.finditer(r'"([^"\n]{3,})"', read(os.path.join("data", name))):
                texts.add(m.group(1))
    for line in read("tests/fixtures/russian.tsv").splitlines():
        m = re.match(r'\{\{ "([^"]*)" \|', line)
        if m:
            texts.add(m.group(1))
    texts |= {
        "24.06.2021", "2021-06-24", "24 июня 2021 г.", "до 01.09.2021",
        "в течение 2021–2022 учебного года", "ежемесячно", "постоянно",
        'Утвердить "План "дорожная карта" мероприятий" № 227 - в г. Славск',
        "Климова О.Н., Петров-Водкин К.С.", "999", "-9223372036854775808",
    }
    for i, text in enumerate(sorted(texts)):
        # The first byte picks the case, the gender and the date form.
        out.append(bytes([i % 256]) + text.encode("utf-8"))
    return out


def template_seeds():
    protocol = read("templates/protocol.xml")
    components = read("templates/components.xml")
    out = [protocol, protocol + COMPONENTS_SEPARATOR + components]
    exprs = []
    for line in read("tests/fixtures/russian.tsv").splitlines():
        if line.startswith("{{"):
            exprs.append(line.split("\t")[0])
    page = '<document title="Т"><section orientation="portrait">%s</section></document>'
    out.append(page % "".join("<p>%s</p>" % e for e in exprs))
    out += [page % "<p>%s</p>" % e for e in exprs[::20]]
    out += [
        page % '<image src="герб.png"/><p>{{ meta.title }}</p><p>{{ meta.date | date(form="words") }}</p>',
        page % '{% for d in protocol.decisions %}<p>{{ d | deadline }}</p>{% endfor %}',
        page % '<p>{{ {"kind":"Months","from":0} | deadline }}</p>',
        page % '<p>{{ 100000000000000000000 | plural(one="а", few="б", many="в") }}</p>',
        page % '<p>{{ "99999-12-31" | date }}</p><p>{{ 2147483647 | school_year }}</p>',
        page % '{% for i in range(end=1000) %}<p>{{ i | number_words }}</p>{% endfor %}',
    ]
    return out


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    for text in toml_seeds():
        write("toml_load", text)
        write("render", text)
    for text in markup_seeds():
        write("markup", text)
    for data in typography_seeds():
        write("typography", data)
    for text in template_seeds():
        write("render_template", text)
    for target in sorted(os.listdir(OUT)):
        files = os.listdir(os.path.join(OUT, target))
        size = sum(os.path.getsize(os.path.join(OUT, target, f)) for f in files)
        print(f"{target}: {len(files)} files, {size} bytes")


if __name__ == "__main__":
    main()
