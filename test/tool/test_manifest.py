"""`pyprefix manifest` and what reads it back (`trim`/`which --prefixes`), against Python itself.

A venv of PYPREFIX_TEST_PYTHON with two hand-made distributions is described by a manifest; the
manifest's facts must be what that venv's Python says of itself (sys, site, importlib.metadata,
the reference list), and trimming with the manifest, from another folder after the venv is
deleted, must give what the reference gives live. Windows manifests are matched against
Python's own ntpath. Environment: PYPREFIX_CLI, PYPREFIX_TEST_PYTHON, PYPREFIX_REFERENCE.
"""
import json
import ntpath
import os
import shutil
import subprocess
import tempfile

import pytest

CLI = os.environ["PYPREFIX_CLI"]
PYTHON = os.environ["PYPREFIX_TEST_PYTHON"]
REFERENCE = os.environ["PYPREFIX_REFERENCE"]


def pyprefix(*arguments, **keywords):
    return subprocess.run([CLI] + [str(a) for a in arguments], capture_output=True, timeout=120, **keywords)


def add_distribution(site, name, version, files):
    """A distribution as an installer leaves it: its files, and a dist-info with a RECORD."""
    for path, text in files.items():
        os.makedirs(os.path.dirname(os.path.join(site, path)), exist_ok=True)
        with open(os.path.join(site, path), "w") as file:
            file.write(text)
    info = os.path.join(site, "%s-%s.dist-info" % (name, version))
    os.makedirs(info)
    with open(os.path.join(info, "METADATA"), "w") as file:
        file.write("Metadata-Version: 2.1\nName: %s\nVersion: %s\n" % (name, version))
    with open(os.path.join(info, "RECORD"), "w") as file:
        for path in list(files) + [info + "/METADATA", info + "/RECORD"]:
            file.write(os.path.relpath(os.path.join(site, path), site) + ",,\n")


@pytest.fixture
def environment():
    """(venv python, working folder, environment variables, the folder holding everything)."""
    folder = tempfile.mkdtemp(prefix="pyprefix-manifest-")
    venv = os.path.join(folder, "venv")
    subprocess.run([PYTHON, "-m", "venv", "--without-pip", venv], check=True)
    python = os.path.join(venv, "bin", "python")
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    add_distribution(site, "demo", "1.2", {"demo/__init__.py": "", "demo/core.py": "", "demo/data.txt": "x"})
    add_distribution(site, "single", "0.1", {"single.py": ""})
    work = os.path.join(folder, "work")
    os.makedirs(os.path.join(work, "rel"))
    home = os.path.join(folder, "home")  # no user site of the machine's
    os.makedirs(home)
    variables = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home, "PYTHONPATH": "rel",
                 "PYTHONDONTWRITEBYTECODE": "1"}
    # A sanitizer build's settings (its leak suppressions) carry over to the tool's runs.
    variables.update({name: value for name, value in os.environ.items() if name.endswith("SAN_OPTIONS")})
    yield python, work, variables, folder
    shutil.rmtree(folder, ignore_errors=True)


ORACLE = r"""
import importlib.machinery, importlib.metadata, json, os, platform, sys
del sys.path[0]  # the '' of -c
reference = {"__name__": "pyprefix_reference"}
exec(open(sys.argv[1]).read(), reference)
seen, sys_path = set(), []
for entry in sys.path:
    normal = os.path.abspath(entry).rstrip("/") + "/"
    if normal not in seen:
        seen.add(normal)
        sys_path.append(normal)
print(json.dumps({
    "interpreter": {"version": platform.python_version(), "executable": sys.executable, "prefix": sys.prefix,
                    "base_prefix": sys.base_prefix, "platform": sys.platform,
                    "cache_tag": sys.implementation.cache_tag,
                    "extension_suffixes": importlib.machinery.EXTENSION_SUFFIXES},
    "sys_path": sys_path,
    "prefixes": json.loads(reference["as_json"](reference["report"](["demo"], True))),
    # .get(): Python 3.15's metadata["Name"] and .version raise KeyError where the field is missing.
    "distributions": sorted([d.metadata.get("Name"), d.metadata.get("Version")]
                            for d in importlib.metadata.distributions()),
}))
"""


def test_manifest_says_what_python_says(environment):
    python, work, variables, _ = environment
    result = pyprefix("manifest", "--python", python, "--package", "demo", "--classify", cwd=work, env=variables)
    assert result.returncode == 0, result.stderr
    manifest = json.loads(result.stdout)
    expected = json.loads(subprocess.run([python, "-c", ORACLE, REFERENCE], cwd=work, env=variables,
                                         capture_output=True, text=True, check=True).stdout)
    assert manifest["format"] == "pyprefix-manifest/1"
    assert manifest["path_flavour"] == "posix"
    interpreter = dict(manifest["interpreter"])
    interpreter["extension_suffixes"] = sorted(interpreter["extension_suffixes"])
    expected["interpreter"]["extension_suffixes"] = sorted(expected["interpreter"]["extension_suffixes"])
    assert interpreter == expected["interpreter"]
    assert manifest["sys_path"] == expected["sys_path"]
    assert manifest["prefixes"] == expected["prefixes"]
    assert sorted([d["name"], d["version"]] for d in manifest["distributions"]) == expected["distributions"]
    demo = next(d for d in manifest["distributions"] if d["name"] == "demo")
    assert any(root.endswith("/demo/") for root in demo["roots"])


def test_trim_and_which_offline_as_live_after_the_venv_is_gone(environment):
    python, work, variables, folder = environment
    options = ["--package", "demo", "--classify"]
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    stdlib_file = subprocess.run([python, "-c", "import json; print(json.__file__)"], capture_output=True, text=True,
                                 check=True).stdout.strip()
    paths = [site + "/demo/__init__.py", site + "/demo/core.py", site + "/demo/data.txt", site + "/single.py",
             stdlib_file, work + "/rel/app.py", work + "/rel/tool.py(12): main", "/elsewhere/x.py", "<frozen os>"]
    lines = os.path.join(folder, "paths")
    with open(lines, "w") as file:
        file.write("".join(path + "\n" for path in paths))
    # Live: the reference, run by the venv's Python in its environment.
    reference = subprocess.run([python, "-c", "import sys; exec(open(sys.argv[1]).read()); main(sys.argv[2:])",
                                REFERENCE, "trim", "--json", *options, lines], cwd=work, env=variables,
                               capture_output=True, check=True).stdout
    live = pyprefix("trim", "--json", "--python", python, *options, lines, cwd=work, env=variables)
    assert live.returncode == 0, live.stderr
    assert live.stdout == reference
    live_plain = pyprefix("trim", "--python", python, *options, lines, cwd=work, env=variables).stdout
    live_which = pyprefix("which", "--json", "--python", python, *options, *paths[:5], cwd=work, env=variables)
    assert live_which.returncode == 0, live_which.stderr
    manifest = os.path.join(folder, "manifest.json")
    with open(manifest, "wb") as file:
        file.write(pyprefix("manifest", "--python", python, *options, cwd=work, env=variables).stdout)
    # Offline: the venv and the working folder deleted, another working folder, no interpreter.
    shutil.rmtree(os.path.join(folder, "venv"))
    shutil.rmtree(work)
    offline = pyprefix("trim", "--json", "--prefixes", manifest, lines, cwd="/")
    assert offline.returncode == 0, offline.stderr
    assert offline.stdout == reference
    assert pyprefix("trim", "--prefixes", manifest, lines, cwd="/").stdout == live_plain
    offline_which = pyprefix("which", "--json", "--prefixes", manifest, *paths[:5], cwd="/")
    assert offline_which.stdout == live_which.stdout


# Prefixes of a Windows manifest, as a Windows port (or a hand) may write them.
WINDOWS_PREFIXES = [
    "C:\\Python311\\Lib", "C:\\Python311\\Lib\\site-packages\\", "c:/python311/lib/site-packages/torch/",
    "C:\\Users\\Ann\\AppData\\Roaming\\Python\\Python311\\site-packages", "D:\\", "\\\\fileserver\\share\\py\\",
    "\\\\FileServer\\Share\\py\\lib\\..\\tools\\.\\", "C:\\a\\\\b\\", "C:\\App\\src", "E:/mixed\\Separators/",
]
WINDOWS_PATHS = [
    "C:\\Python311\\Lib\\json\\decoder.py", "c:\\python311\\lib\\json\\decoder.py", "C:/Python311/Lib/os.py",
    "C:\\Python311\\Lib\\site-packages\\torch\\nn\\modules\\module.py",
    "C:\\PYTHON311\\LIB\\SITE-PACKAGES\\numpy\\core\\numeric.py", "C:\\Python311\\Library\\x.py",
    "C:\\Python311\\Lib", "C:\\Users\\ann\\appdata\\roaming\\python\\python311\\site-packages\\six.py",
    "D:\\work\\main.py", "d:/work/main.py", "\\\\fileserver\\share\\py\\pkg\\mod.py",
    "\\\\FILESERVER\\SHARE\\PY\\pkg\\mod.py", "//fileserver/share/py/pkg/mod.py", "\\\\fileserver\\share\\tools\\t.py",
    "\\\\otherserver\\share\\py\\x.py", "C:\\a\\b\\c.py", "C:\\App\\src\\main.py(12): run", "C:\\Apps\\src\\x.py",
    "E:\\Mixed\\separators\\y.py", "F:\\nothing.py", "relative\\x.py", "<frozen os>",
    "C:\\Python311\\Lib\\caf\u00e9\\x.py",
]


def windows_expectation(prefixes, path):
    """(short, prefix) as ntpath compares: normpath'd prefixes, normcase'd comparison, longest wins."""
    normal = [p if p.endswith("\\") else p + "\\" for p in (ntpath.normpath(p) for p in prefixes)]
    if path.startswith("<"):
        return path, None
    matches = [p for p in normal if ntpath.normcase(path).startswith(ntpath.normcase(p))]
    if not matches:
        return path, None
    best = max(matches, key=len)
    return path[len(best):], best


def test_windows_manifest_matches_as_ntpath(tmp_path):
    manifest = {"format": "pyprefix-manifest/1", "path_flavour": "windows",
                "interpreter": {"version": "3.11.9", "executable": "C:\\Python311\\python.exe", "platform": "win32"},
                "sys_path": ["C:\\Python311\\Lib"],
                "prefixes": [{"prefix": p, "sources": ["sys.path"]} for p in WINDOWS_PREFIXES]}
    (tmp_path / "win.json").write_text(json.dumps(manifest))
    (tmp_path / "paths").write_text("".join(p + "\n" for p in WINDOWS_PATHS), encoding="utf-8")
    result = pyprefix("trim", "--json", "--prefixes", tmp_path / "win.json", tmp_path / "paths")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.decode().splitlines()]  # valid JSON, backslashes and all
    assert [line["path"] for line in lines] == WINDOWS_PATHS
    for line in lines:
        assert (line["short"], line["prefix"]) == windows_expectation(WINDOWS_PREFIXES, line["path"]), line["path"]
    plain = pyprefix("trim", "--prefixes", tmp_path / "win.json", tmp_path / "paths")
    assert plain.stdout.decode().splitlines() == [line["short"] for line in lines]
    # Module names keep their case; "\" separates their parts.
    which = pyprefix("which", "--json", "--prefixes", tmp_path / "win.json",
                     "c:\\python311\\lib\\site-packages\\Numpy\\core\\Numeric.py")
    assert json.loads(which.stdout)["module"] == "Numpy.core.Numeric"


BAD_MANIFESTS = [
    ('{"format": "pyprefix-manifest/2", "path_flavour": "posix", "prefixes": []}',
     "format 'pyprefix-manifest/2', which this version does not read", '"pyprefix-manifest/2"'),
    ('{"format": "pyprefix-manifest/1", "path_flavour": "posix", "prefixes": [{"prefix": "/usr/lib/',
     "an unterminated string", None),
    ('{"format": "pyprefix-manifest/1", "path_flavour": "posix", "prefixes": [',
     "a prefix that is not an object", None),
    ('{"format": "pyprefix-manifest/1", "path_flavour": "posix", "prefixes": {}}',
     '"prefixes" that is not an array', "{}"),
    ('{"format": "pyprefix-manifest/1", "path_flavour": "posix", "prefixes": [], "sys_path": [3]}',
     "a sys_path entry that is not a string", "3]"),
    ('{"format": "pyprefix-manifest/1", "path_flavour": "posix", "prefixes": [], "interpreter": []}',
     '"interpreter" that is not an object', "[]}"),
    ('{"format": "pyprefix-manifest/1", "path_flavour": "posix", "prefixes": [{"prefix": "usr/lib/"}]}',
     "a path that is not absolute", '"usr/lib/"'),
    ('{"format": "pyprefix-manifest/1", "path_flavour": "windows", "prefixes": [{"prefix": "C:Python"}]}',
     "a path that is not an absolute Windows path", '"C:Python"'),
    ('{"format": "pyprefix-manifest/1", "path_flavour": "mac", "prefixes": []}',
     "\"path_flavour\" 'mac', not \"posix\" or \"windows\"", '"mac"'),
    ('{"format": "pyprefix-manifest/1", "prefixes": []}', 'no "path_flavour" at byte 0', None),
    ('{"path_flavour": "posix", "prefixes": []}', 'no "format" at byte 0', None),
    ('{"format": "pyprefix-manifest/1", "path_flavour": "posix", "prefixes": [], "distributions": [{"version": "1"}]}',
     'a distribution without "name"', None),
]


@pytest.mark.parametrize("text, problem, place", BAD_MANIFESTS)
def test_bad_manifests_are_refused_in_one_line(tmp_path, text, problem, place):
    path = tmp_path / "bad.json"
    path.write_text(text)
    (tmp_path / "paths").write_text("/usr/lib/x.py\n")
    for arguments in (["trim", "--prefixes", path, tmp_path / "paths"], ["which", "--prefixes", path, "/x.py"]):
        result = pyprefix(*arguments)
        assert result.returncode == 1
        assert result.stdout == b""
        lines = result.stderr.decode().splitlines()
        assert len(lines) == 1, lines
        assert lines[0].startswith("pyprefix: '%s' is not a pyprefix manifest: " % path), lines[0]
        assert problem in lines[0], lines[0]
        if place is not None:  # the byte named is where the problem starts
            assert lines[0].endswith(" at byte %d" % text.index(place)), lines[0]


def test_distributions_without_a_record_keep_their_files(environment):
    """Debian's packages install a .dist-info with METADATA and top_level.txt but no RECORD, and
    torch's has neither: their files still have an owner, the same live, in the manifest and from
    the manifest. A name in namespace_packages.txt owns nothing by itself; a folder named as a
    distribution belongs to it (marked inferred) unless another distribution names it."""
    python, work, variables, folder = environment
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()

    def install(name, version, files, **metadata_files):
        for path in files:
            os.makedirs(os.path.dirname(os.path.join(site, path)), exist_ok=True)
            open(os.path.join(site, path), "w").close()
        info = os.path.join(site, "%s-%s.dist-info" % (name, version))
        os.makedirs(info)
        with open(os.path.join(info, "METADATA"), "w") as file:
            file.write("Metadata-Version: 2.1\nName: %s\nVersion: %s\n" % (name, version))
        for metadata_name, text in metadata_files.items():
            with open(os.path.join(info, metadata_name + ".txt"), "w") as file:
                file.write(text)

    install("PyYAML", "6.0.3", ["yaml/__init__.py", "_yaml/__init__.py"], top_level="yaml\n_yaml\n")
    install("torch", "2.14.0", ["torch/__init__.py", "torch/nn/module.py"])
    install("Other_Thing", "1.0", ["other_thing.py"])
    install("yaml", "0.1", [])  # its name's folder is PyYAML's: not inferred
    install("nsdist", "1.0", ["google/cloud/storage.py"], top_level="google\n", namespace_packages="google\n")
    paths = [site + "/" + path for path in ("yaml/__init__.py", "_yaml/__init__.py", "torch/nn/module.py",
                                            "other_thing.py", "google/cloud/storage.py")]
    live = pyprefix("which", "--json", "--python", python, *paths, cwd=work, env=variables)
    assert live.returncode == 0, live.stderr
    owners = [(json.loads(line)["distribution"], json.loads(line)["version"]) for line in live.stdout.splitlines()]
    assert owners == [("PyYAML", "6.0.3"), ("PyYAML", "6.0.3"), ("torch", "2.14.0"), ("Other_Thing", "1.0"),
                      (None, None)]
    result = pyprefix("manifest", "--python", python, cwd=work, env=variables)
    assert result.returncode == 0, result.stderr
    distributions = {d["name"]: d for d in json.loads(result.stdout)["distributions"]}
    assert distributions["PyYAML"]["roots"] == [site + "/_yaml/", site + "/yaml/"]
    assert "roots_from" not in distributions["PyYAML"]
    assert distributions["torch"]["roots"] == [site + "/torch/"] and distributions["torch"]["roots_from"] == "name"
    assert distributions["Other_Thing"]["roots_from"] == "name"
    assert site + "/other_thing.py" in distributions["Other_Thing"]["roots"]
    assert distributions["yaml"]["roots"] == [] and distributions["nsdist"]["roots"] == []
    manifest = os.path.join(folder, "manifest.json")
    with open(manifest, "wb") as file:
        file.write(result.stdout)
    offline = pyprefix("which", "--json", "--prefixes", manifest, *paths, cwd="/")
    assert offline.returncode == 0, offline.stderr
    assert offline.stdout == live.stdout
