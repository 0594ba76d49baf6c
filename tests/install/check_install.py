#!/usr/bin/env python3
"""Checks of the installable tool (issue 17), run by CTest.

  check_install.py install --build-dir B --source-dir S
      `cmake --install B --prefix P` into a temporary prefix; the installed pillar, run from a
      folder with no corpus/ beside it, indexes S/corpus/sample with every rule tag the build
      tree's pillar gives. Also checks the man page and completion files are in place.
  check_install.py completion --script FILE
      Sources the bash completion FILE in bash and checks what `pillar se<TAB>`,
      `pillar search --la<TAB>` and `pillar search --pillar un-tier-<TAB>` complete to.

Exit 77 (CTest's SKIP_RETURN_CODE) with a message when cmake or bash is missing.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

SKIP = 77


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def run(cmd, **kwargs):
    result = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        fail("%s exited %d\nstdout:\n%s\nstderr:\n%s" %
             (" ".join(cmd), result.returncode, result.stdout[-4000:], result.stderr[-4000:]))
    return result.stdout


def rule_tags(pillar, index_dir, cwd, env):
    """{(passage id, concept)} of every rule tag in the index."""
    out = run([pillar, "export", "--index", index_dir, "--format", "jsonl"], cwd=cwd, env=env)
    tags = set()
    for line in out.splitlines():
        passage = json.loads(line)
        for tag in passage["pillars"]:
            if tag["source"] == "rule":
                tags.add((passage["passage_id"], tag["id"]))
    return tags


def check_install(build_dir, source_dir):
    cmake = shutil.which("cmake")
    if cmake is None:
        print("SKIP: cmake is not on PATH; cannot test `cmake --install`")
        sys.exit(SKIP)
    work = tempfile.mkdtemp(prefix="pillar-install-")
    try:
        prefix = os.path.join(work, "prefix")
        run([cmake, "--install", build_dir, "--prefix", prefix])
        for rel in ["bin/pillar", "share/pillar/taxonomy/poc.skos.xml",
                    "share/man/man1/pillar.1", "share/bash-completion/completions/pillar",
                    "share/zsh/site-functions/_pillar",
                    "share/fish/vendor_completions.d/pillar.fish"]:
            if not os.path.isfile(os.path.join(prefix, rel)):
                fail("not installed: " + rel)
        man = open(os.path.join(prefix, "share/man/man1/pillar.1"), encoding="utf-8").read()
        for command in ["index", "search", "tag", "report"]:
            if ("pillar " + command + "\\fR") not in man:
                fail("the man page does not describe `pillar %s`" % command)

        # A folder with nothing beside it: no corpus/, no pillar-index/.
        elsewhere = os.path.join(work, "elsewhere")
        os.makedirs(elsewhere)
        env = {k: v for k, v in os.environ.items()
               if k not in ("PILLAR_TAXONOMY", "PILLAR_INDEX")}
        sample = os.path.join(source_dir, "corpus", "sample")
        installed = os.path.join(prefix, "bin", "pillar")
        built = os.path.join(build_dir, "pillar")
        run([installed, "index", "-q", sample, "--index", "installed-index"], cwd=elsewhere,
            env=env)
        run([built, "index", "-q", sample, "--index", "built-index"], cwd=elsewhere, env=env)
        got = rule_tags(installed, "installed-index", elsewhere, env)
        want = rule_tags(built, "built-index", elsewhere, env)
        if not want:
            fail("the build tree's pillar gave no rule tag on the sample corpus")
        missing = sorted(want - got)
        if missing:
            fail("%d of %d rule tags missing from the installed pillar's index, e.g. %s" %
                 (len(missing), len(want), missing[:5]))
        if got != want:
            fail("the installed pillar gave rule tags the build tree's did not: %s" %
                 sorted(got - want)[:5])
        print("ok: the installed pillar gave all %d rule tags" % len(want))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def complete(script, words):
    """What the bash completion of `script` offers for `words` (the last is being typed)."""
    bash = shutil.which("bash")
    quoted = " ".join("'" + w.replace("'", "'\\''") + "'" for w in words)
    program = ('source "$1" || exit 3\n'
               "COMP_WORDS=(%s)\n"
               "COMP_CWORD=%d\n"
               "COMP_LINE=\"${COMP_WORDS[*]}\"\n"
               "COMP_POINT=${#COMP_LINE}\n"
               "_pillar pillar \"${COMP_WORDS[COMP_CWORD]}\" \"${COMP_WORDS[COMP_CWORD-1]}\"\n"
               "printf '%%s\\n' \"${COMPREPLY[@]}\"\n") % (quoted, len(words) - 1)
    result = subprocess.run([bash, "-c", program, "bash", script], capture_output=True,
                            text=True)
    if result.returncode != 0:
        fail("bash completion of %r failed (%d): %s" % (words, result.returncode,
                                                        result.stderr))
    return [line for line in result.stdout.splitlines() if line]


def check_completion(script):
    if shutil.which("bash") is None:
        print("SKIP: bash is not on PATH")
        sys.exit(SKIP)
    if not os.path.isfile(script):
        fail("no bash completion script at " + script)
    cases = [
        (["pillar", "se"], ["search", "serve"]),
        (["pillar", "search", "--la"], ["--lang"]),
        (["pillar", "search", "--pillar", "un-tier-"], ["un-tier-1", "un-tier-2", "un-tier-3"]),
        (["pillar", "ta"], ["tag", "taxonomy"]),
    ]
    for words, want in cases:
        got = sorted(complete(script, words))
        if got != sorted(want):
            fail("completing %r gave %r, not %r" % (" ".join(words), got, want))
    # Options of one subcommand are not offered for another.
    if "--ocr" in complete(script, ["pillar", "search", "--o"]):
        fail("`pillar search --o<TAB>` offers index's --ocr")
    print("ok: bash completion")


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="what", required=True)
    install = sub.add_parser("install")
    install.add_argument("--build-dir", required=True)
    install.add_argument("--source-dir", required=True)
    completion = sub.add_parser("completion")
    completion.add_argument("--script", required=True)
    args = parser.parse_args()
    if args.what == "install":
        check_install(os.path.abspath(args.build_dir), os.path.abspath(args.source_dir))
    else:
        check_completion(args.script)


if __name__ == "__main__":
    main()
