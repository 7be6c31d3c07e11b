# JupyterHub for a class on ONE machine: the course's settings (docs/instructors.md, "A hub for
# the class"). Start it as root in the folder that holds this file:
#
#     jupyterhub -f deploy/jupyterhub_config.py
#
# What it sets up:
# * students log in with their accounts on the machine (PAM, JupyterHub's default authenticator;
#   for single sign-on use an OAuthenticator, for an LMS ltiauthenticator: set
#   c.JupyterHub.authenticator_class, nothing else here changes);
# * each student's server runs under systemd (jupyterhub-systemdspawner) with the memory and CPU
#   limits below, which systemd enforces (cgroups);
# * the course reaches each student through an nbgitpuller link (deploy/links.md): the first
#   click clones the repository into their home, later clicks pull new commits and keep the
#   student's own edits (nbgitpuller merges; a student's changed file wins);
# * servers idle for CULL_IDLE_SECONDS are stopped (jupyterhub-idle-culler, a hub service), so
#   a class that leaves frees the memory for the next one.
#
# The same settings, on Kubernetes: deploy/z2jh-values.yaml (Zero to JupyterHub).
# tests/test_hub.py starts this very file (load_subconfig), with a test authenticator and a
# spawner that needs no system users, for two simulated students; tools/hub_load.py for N.
import os
import sys

c = get_config()  # noqa: F821 (JupyterHub's config loader provides it)

# --- limits per student (measured: docs/instructors.md, "How many students per machine") -------
# A kernel that has run a course notebook holds 0.6-1.0 GB (RSS; notebook 09 the most, with
# PyPI's default CUDA build of torch; the CPU build holds 0.3 GB less: install it on a hub), plus
# ~0.1 GB for the student's Jupyter server. python tools/hub_load.py --kernel-memory measures it.
MEM_LIMIT = os.environ.get("COURSE_HUB_MEM_LIMIT", "1.5G")
# At most one core per student: a kernel computes with one thread (below), so the limit only
# stops one student's extra processes from taking the whole machine; a tighter limit (0.5) would
# make every slider move take twice as long even when the machine is idle.
CPU_LIMIT = float(os.environ.get("COURSE_HUB_CPU_LIMIT", "1"))
CULL_IDLE_SECONDS = int(os.environ.get("COURSE_HUB_CULL_IDLE", "3600"))

c.Spawner.mem_limit = MEM_LIMIT
c.Spawner.cpu_limit = CPU_LIMIT
c.Spawner.environment = {
    # one thread per kernel: the course's tensors are tiny, and extra threads only fight over
    # the shared cores (CONTRIBUTING.md, "One thread")
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
}
c.Spawner.default_url = "/lab"
c.Spawner.http_timeout = 120   # a busy machine may take a while to start a server
c.Spawner.start_timeout = 120

# --- who logs in ----------------------------------------------------------------------------------
c.JupyterHub.authenticator_class = "pam"
# the class list: one user name per line in deploy/students.txt (not committed), instructors in
# deploy/instructors.txt; without the files, set allowed_users / admin_users here.
_here = os.path.dirname(os.path.abspath(__file__))


def _names(filename):
    path = os.path.join(_here, filename)
    if not os.path.exists(path):
        return set()
    with open(path) as f:
        return {line.strip() for line in f if line.strip() and not line.startswith("#")}


c.Authenticator.allowed_users = _names("students.txt") | _names("instructors.txt")
c.Authenticator.admin_users = _names("instructors.txt")

# --- how servers run ------------------------------------------------------------------------------
c.JupyterHub.spawner_class = "systemdspawner"  # pip install jupyterhub-systemdspawner
c.SystemdSpawner.isolate_tmp = True
c.SystemdSpawner.isolate_devices = True
c.SystemdSpawner.disable_user_sudo = True
c.SystemdSpawner.unit_name_template = "jupyter-{USERNAME}"
# the students' Python: the environment where the course was installed (pip install -e .,
# python tools/install_lab_settings.py, python tools/fetch_weights.py)
c.SystemdSpawner.extra_paths = [os.path.dirname(sys.executable)]

c.JupyterHub.bind_url = os.environ.get("COURSE_HUB_URL", "http://:8000")
# the proxy: configurable-http-proxy on the PATH (npm install -g configurable-http-proxy, or
# the Python port from PyPI, which the tests use; docs/instructors.md says why)
c.ConfigurableHTTPProxy.should_start = True

# --- idle servers are stopped ---------------------------------------------------------------------
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]
c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler",
                f"--timeout={CULL_IDLE_SECONDS}", "--cull-every=300"],
}]
