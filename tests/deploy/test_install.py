"""deploy/install.sh as staff run it, into a staging root (``--root``) so this machine is never
touched: the units land where systemd reads them and start the installed programs with the
installed configuration, which ``kiosk check`` accepts; an upgrade keeps the data and the edited
configuration; log rotation and the printer rule are in place. And the lines the kiosk logs reach
the unit's log file once each (kiosk/logs.py)."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk import cli as kiosk_cli
from kiosk.paths import PROJECT_DIR
from server import cli as server_cli

INSTALL = PROJECT_DIR / "deploy" / "install.sh"
KIOSK = Path(sys.executable).parent / "kiosk"
UNITS = "etc/systemd/system"
VENV_BIN = "/opt/legal-kiosk/venv/bin"
KIOSK_INI = "/etc/legal-kiosk/kiosk.ini"


def install(root: Path, *roles: str) -> str:
    done = subprocess.run(["bash", str(INSTALL), *roles, "--root", str(root)], capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stderr) == (0, "")
    return done.stdout


@pytest.fixture(scope="module")
def staged(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Both roles installed once into a staging root: (the root, what the installer printed)."""
    root = tmp_path_factory.mktemp("root")
    return root, install(root, "--kiosk", "--server")


def unit_settings(path: Path) -> dict[str, list[str]]:
    """KEY=VALUE lines of a unit file, every value of a key in order (Environment= repeats)."""
    settings: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, value = line.split("=", 1)
            settings.setdefault(key, []).append(value)
    return settings


def exec_start(root: Path, unit: str) -> list[str]:
    """The unit's command line as systemd runs it: its Environment= values, then those of its
    EnvironmentFile= (read from the staging root), put in for ${NAME} and for a lone $NAME."""
    settings = unit_settings(root / UNITS / unit)
    variables = dict(assignment.split("=", 1) for line in settings.get("Environment", []) for assignment in line.split())
    for name in settings.get("EnvironmentFile", []):
        file = root / name.lstrip("-").lstrip("/")
        for line in file.read_text(encoding="utf-8").splitlines() if file.exists() else []:
            if "=" in line and not line.startswith("#"):
                key, value = line.split("=", 1)
                variables[key] = value.strip('"')
    [command] = settings["ExecStart"]
    command = re.sub(r"\$\{(\w+)\}", lambda name: variables[name.group(1)], command)
    words = []
    for word in shlex.split(command):
        words.extend(variables[word[1:]].split() if word.startswith("$") else [word])
    return words


# -- what lands where --------------------------------------------------------------------------------


def test_the_kiosk_units_start_the_installed_kiosk_with_the_installed_configuration(staged: tuple[Path, str]) -> None:
    root, _printed = staged
    x11 = exec_start(root, "legal-kiosk.service")
    assert x11[:3] == ["/usr/bin/xinit", "/bin/sh", "-c"]
    window_manager, client = x11[3].split(" & exec ")
    assert window_manager.startswith("matchbox-window-manager ")
    kms = exec_start(root, "legal-kiosk-kms.service")
    for command in (shlex.split(client), kms):
        assert command[0] == f"{VENV_BIN}/kiosk"
        args = kiosk_cli._parser().parse_args(command[1:])
        assert (args.command, str(args.config)) == ("run", KIOSK_INI)
    assert {"-nocursor", "-s", "0", "-dpms", "vt1"} <= set(x11[x11.index("--") :])
    assert "SDL_VIDEODRIVER=kmsdrm" in " ".join(unit_settings(root / UNITS / "legal-kiosk-kms.service")["Environment"])
    assert (root / KIOSK_INI.lstrip("/")).is_file()
    assert (root / "opt/legal-kiosk/app/kiosk/cli.py").is_file()
    assert (root / "opt/legal-kiosk/app/assets/fonts/NotoSansSC-Kiosk-Regular.otf").is_file()


def test_the_server_unit_starts_the_installed_server_on_its_data_and_content(staged: tuple[Path, str]) -> None:
    root, _printed = staged
    command = exec_start(root, "legal-kiosk-server.service")
    assert command[0] == f"{VENV_BIN}/kiosk-server"
    args = server_cli._parser().parse_args(command[1:])
    assert args.command == "run"
    assert args.db == "sqlite:////var/lib/legal-kiosk-server/server.sqlite3"
    assert (args.host, args.port, str(args.content)) == ("0.0.0.0", 8470, "/etc/legal-kiosk/content")
    assert (root / "etc/legal-kiosk/content/queues.ini").is_file()
    assert (root / "var/lib/legal-kiosk-server").is_dir()


def test_every_unit_restarts_for_ever_and_logs_to_a_rotated_file(staged: tuple[Path, str]) -> None:
    root, _printed = staged
    rotated = (root / "etc/logrotate.d/legal-kiosk").read_text(encoding="utf-8")
    assert "/var/log/legal-kiosk/*.log {" in rotated
    for unit in ("legal-kiosk.service", "legal-kiosk-kms.service", "legal-kiosk-server.service"):
        settings = unit_settings(root / UNITS / unit)
        assert (settings["Restart"], settings["StartLimitIntervalSec"]) == (["always"], ["0"])
        assert settings["StandardOutput"] == settings["StandardError"]
        assert re.fullmatch(r"append:/var/log/legal-kiosk/\w+\.log", settings["StandardOutput"][0])
        assert settings["WantedBy"] == ["multi-user.target"]
    assert unit_settings(root / UNITS / "legal-kiosk.service")["User"] == ["kiosk"]
    assert unit_settings(root / UNITS / "legal-kiosk-server.service")["User"] == ["kiosk-server"]


def test_the_printer_rule_is_installed(staged: tuple[Path, str]) -> None:
    root, _printed = staged
    rule = root / "etc/udev/rules.d/60-kiosk-printer.rules"
    assert rule.read_bytes() == (PROJECT_DIR / "deploy/udev/60-kiosk-printer.rules").read_bytes()


def test_staging_prints_the_system_changes_instead_of_making_them(staged: tuple[Path, str]) -> None:
    _root, printed = staged
    lines = printed.splitlines()
    for expected in (
        "would run: useradd --system --user-group --create-home --home-dir /home/kiosk",
        "would run: useradd --system --user-group --home-dir /var/lib/legal-kiosk-server",
        "would run: usermod -a -G lp,dialout,video,render kiosk",
        f"would run: sh {PROJECT_DIR}/tools/install_debian_packages.sh python3 python3-venv",
        "would run: /opt/legal-kiosk/venv/bin/python -m pip install --quiet --editable /opt/legal-kiosk/app",
        "would run: systemctl enable legal-kiosk-server.service",
        "would run: systemctl enable legal-kiosk.service",
        "would run: udevadm control --reload-rules",
    ):
        assert any(line.startswith(expected) for line in lines), expected
    assert "xinit" in next(line for line in lines if "install_debian_packages" in line)


def test_kms_enables_the_kms_unit_without_x(tmp_path: Path) -> None:
    lines = install(tmp_path, "--kiosk", "--kms").splitlines()
    assert "would run: systemctl disable legal-kiosk.service" in lines
    assert "would run: systemctl enable legal-kiosk-kms.service" in lines
    assert "would run: usermod -a -G lp,dialout,video,render,input kiosk" in lines
    assert "xinit" not in next(line for line in lines if "install_debian_packages" in line)
    assert not (tmp_path / UNITS / "legal-kiosk-server.service").exists()


def test_without_a_role_it_says_so_in_one_line(tmp_path: Path) -> None:
    done = subprocess.run(["bash", str(INSTALL), "--root", str(tmp_path)], capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    assert done.stderr == (
        "install: expected --kiosk and/or --server, got neither (usage: deploy/install.sh [--kiosk] [--server] [--kms] [--root DIR])\n"
    )


# -- the installed configuration works, and survives an upgrade ---------------------------------------


def relocated(root: Path, ini: Path) -> str:
    """The installed kiosk.ini with its absolute folders moved into the staging root."""
    text = ini.read_text(encoding="utf-8")
    for line in ("data_dir = /var/lib/legal-kiosk", "content_dir = /etc/legal-kiosk/content"):
        assert text.count(f"\n{line}\n") == 1, line
        key, folder = line.split(" = ")
        text = text.replace(f"\n{line}\n", f"\n{key} = {root}{folder}\n")
    return text


def test_the_installed_kiosk_ini_passes_kiosk_check_with_its_data_outside_the_code(staged: tuple[Path, str], tmp_path: Path) -> None:
    root, _printed = staged
    config = tmp_path / "kiosk.ini"
    config.write_text(relocated(root, root / KIOSK_INI.lstrip("/")), encoding="utf-8")
    done = subprocess.run([str(KIOSK), "check", "--config", str(config)], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stderr) == (0, "")
    out = done.stdout.splitlines()
    assert out[0] == "OK"
    assert "fullscreen yes" in out[1]
    assert f"content: {root}/etc/legal-kiosk/content " in out[2]
    assert out[3] == f"data: {root}/var/lib/legal-kiosk"


def test_an_upgrade_replaces_the_code_and_keeps_data_and_configuration(tmp_path: Path) -> None:
    install(tmp_path, "--kiosk", "--server")
    planted = {
        "var/lib/legal-kiosk/kiosk.sqlite3": "tickets, ratings and the outbox",
        "var/lib/legal-kiosk-server/server.sqlite3": "the center's records",
        "var/log/legal-kiosk/kiosk.log": "yesterday's log",
    }
    for name, text in planted.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    ini = tmp_path / KIOSK_INI.lstrip("/")
    edited = ini.read_text(encoding="utf-8").replace("\nid = kiosk-01\n", "\nid = kiosk-07\n")
    ini.write_text(edited, encoding="utf-8")
    server_env = tmp_path / "etc/legal-kiosk/server.env"
    server_env.write_text(server_env.read_text(encoding="utf-8").replace("=8470", "=8480"), encoding="utf-8")
    staff = tmp_path / "etc/legal-kiosk/content/staff.ini"
    staff.write_text(staff.read_text(encoding="utf-8") + "\n# edited by the center\n", encoding="utf-8")
    stale = tmp_path / "opt/legal-kiosk/app/kiosk/removed_in_this_version.py"
    stale.write_text("", encoding="utf-8")

    printed = install(tmp_path, "--kiosk", "--server").splitlines()

    assert {name: (tmp_path / name).read_text(encoding="utf-8") for name in planted} == planted
    assert ini.read_text(encoding="utf-8") == edited
    assert "install: kept /etc/legal-kiosk/kiosk.ini" in printed
    assert server_cli._parser().parse_args(exec_start(tmp_path, "legal-kiosk-server.service")[1:]).port == 8480
    assert staff.read_text(encoding="utf-8").endswith("# edited by the center\n")
    assert not stale.exists()
    assert (tmp_path / "opt/legal-kiosk/app/kiosk/cli.py").is_file()


# -- checked by the tools that will read them ---------------------------------------------------------


def test_systemd_accepts_the_units(staged: tuple[Path, str]) -> None:
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed (Debian's systemd package)")
    root, _printed = staged
    units = sorted((root / UNITS).glob("*.service"))
    done = subprocess.run(["systemd-analyze", "verify", *map(str, units)], capture_output=True, text=True, timeout=60)
    # The programs exist only after a real install: the venv is made there, xinit comes with apt.
    absent = [f"{VENV_BIN}/kiosk", f"{VENV_BIN}/kiosk-server", *([] if Path("/usr/bin/xinit").exists() else ["/usr/bin/xinit"])]
    commands = "|".join(map(re.escape, absent))
    allowed = re.compile(rf"legal-kiosk[\w-]*\.service: Command ({commands}) is not executable: No such file.*")
    ours = [line for line in (done.stdout + done.stderr).splitlines() if "legal-kiosk" in line and not allowed.fullmatch(line)]
    assert ours == []


def test_logrotate_accepts_the_rotation_and_keeps_the_open_log_file(staged: tuple[Path, str], tmp_path: Path) -> None:
    if shutil.which("logrotate") is None:
        pytest.skip("logrotate is not installed (Debian's logrotate package)")
    root, _printed = staged
    config = root / "etc/logrotate.d/legal-kiosk"
    checked = subprocess.run(["logrotate", "-d", "-s", str(tmp_path / "state"), str(config)], capture_output=True, text=True, timeout=30)
    report = checked.stdout + checked.stderr
    assert checked.returncode == 0
    assert "rotating pattern: /var/log/legal-kiosk/*.log" in report
    assert not [line for line in report.splitlines() if line.lower().startswith("error")]

    logs = tmp_path / "log"
    logs.mkdir(mode=0o750)  # logrotate skips folders others may write to, and configurations they may change
    moved = tmp_path / "legal-kiosk"
    moved.write_text(config.read_text(encoding="utf-8").replace("/var/log/legal-kiosk/", f"{logs}/"), encoding="utf-8")
    moved.chmod(0o644)
    log = logs / "kiosk.log"
    with log.open("a", encoding="utf-8") as unit_output:  # held open like systemd's append: file
        for week in (1, 2):
            unit_output.write(f"week {week}\n")
            unit_output.flush()
            subprocess.run(["logrotate", "-f", "-s", str(tmp_path / "state"), str(moved)], check=True, timeout=30)
        unit_output.write("week 3\n")
    assert log.read_text(encoding="utf-8") == "week 3\n"
    assert (logs / "kiosk.log.1").read_text(encoding="utf-8") == "week 2\n"
    assert sorted(path.name for path in logs.iterdir()) == ["kiosk.log", "kiosk.log.1", "kiosk.log.2.gz"]


def test_install_sh_is_valid_bash() -> None:
    done = subprocess.run(["bash", "-n", str(INSTALL)], capture_output=True, text=True, timeout=30)
    assert (done.returncode, done.stderr) == (0, "")


def test_install_sh_passes_shellcheck() -> None:
    if shutil.which("shellcheck") is None:
        pytest.skip("shellcheck is not installed (Debian's shellcheck package)")
    done = subprocess.run(["shellcheck", str(INSTALL)], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout) == (0, "")


# -- the kiosk's log lines (kiosk/logs.py): what the unit's log file gets --------------------------------

LOGS_ONCE = """
import logging
import kiosk.cli  # imports python-escpos, whose logging.basicConfig() puts a stderr handler on the root
assert logging.getLogger().handlers, "python-escpos no longer adds a handler: this test shows nothing"
from kiosk.logs import log_to_stderr
log_to_stderr()
import kiosk.app  # Kivy, as kiosk run imports it next: it adds its handlers and takes over sys.stderr
log = logging.getLogger("kiosk.printing")
log.warning("printer: paper out")
log.info("content: server version 3 applied")
log.debug("not for the log file")
"""


def test_a_kiosk_log_line_reaches_stderr_once_with_its_time_and_level(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "KIVY_HOME": str(tmp_path / "kivy"), "KIVY_NO_FILELOG": "1"}
    done = subprocess.run([sys.executable, "-c", LOGS_ONCE], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    time = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}"
    paper = [line for line in lines if "paper out" in line]
    assert len(paper) == 1
    assert re.fullmatch(time + r" WARNING kiosk\.printing: printer: paper out", paper[0])
    content = [line for line in lines if "server version 3" in line]
    assert len(content) == 1
    assert re.fullmatch(time + r" INFO kiosk\.printing: content: server version 3 applied", content[0])
    assert not [line for line in lines if "not for the log file" in line]
