"""pip's way to build the Python package pyprefix: `pip install --no-build-isolation .`

The extension module is built by the project's own CMake build (the same sources, flags and
warnings as every other target), for the Python that runs pip; no other build system exists.
Needs CMake, a C++17 compiler, Boost.Filesystem and this Python's headers (.ci/install-deps).
"""
import os
import pathlib
import re
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = pathlib.Path(__file__).resolve().parent
VERSION = re.search(r'#define PYPREFIX_VERSION "([0-9.]+)"', (ROOT / "include/pyprefix/version.hpp").read_text()).group(1)


class CMakeBuild(build_ext):
    """Builds the target pyprefix_python with CMake and puts the module where setuptools wants it."""

    def build_extension(self, extension):
        build = pathlib.Path(self.build_temp).resolve() / "cmake"
        subprocess.run(["cmake", "-S", str(ROOT), "-B", str(build), "-DCMAKE_BUILD_TYPE=Release",
                        "-DPython3_EXECUTABLE=" + sys.executable, "-DPYPREFIX_BUILD_TESTS=OFF",
                        "-DPYPREFIX_BUILD_EXAMPLES=OFF", "-DPYPREFIX_INSTALL=OFF"], check=True)
        subprocess.run(["cmake", "--build", str(build), "--target", "pyprefix_python", "-j", str(os.cpu_count() or 2)],
                       check=True)
        built = next((build / "python" / "pyprefix").glob("_pyprefix*.so"))
        target = pathlib.Path(self.get_ext_fullpath(extension.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built, target)
        # The constants CMake generates from the C++ tables (lib/python/CMakeLists.txt).
        shutil.copyfile(build / "python" / "pyprefix" / "_constants.py", target.parent / "_constants.py")


setup(
    name="pyprefix",
    version=VERSION,
    description="Where Python code lives, for profilers: import prefixes and a fast path trimmer",
    python_requires=">=3.8",
    package_dir={"": "lib/python"},
    packages=["pyprefix"],
    package_data={"pyprefix": ["py.typed", "_pyprefix.pyi"]},
    ext_modules=[Extension("pyprefix._pyprefix", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
    options={"build": {"build_base": "build-pip"}},  # not CMake's build/
    zip_safe=False,
)
