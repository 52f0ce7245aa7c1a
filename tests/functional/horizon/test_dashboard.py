# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License. You may obtain
# a copy of the License at
#
#      http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
# WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
# License for the specific language governing permissions and limitations
# under the License.

"""Horizon's Container Infra panels against magnum-lite, in Chromium.

Keystone, magnum-lite (keystone auth, its own Heat, the fake and the
swarm_docker cluster drivers) and Horizon with magnum-ui and our plugin run
on loopback (see deployment); headless Chromium from Debian, driven by
Selenium, does what a user does: log in, create a cluster template and a
cluster (fake driver) through magnum-ui's forms, watch them listed with
their status, edit quotas as admin, and, in our Containers panel, run a
container on a real Swarm cluster (listed with the cluster's name), read
its output as it grows, pause, unpause, reboot, stop and start it, delete it.
Screenshots go to artifacts/horizon/. The last test reads magnum-lite's
access log: no request Horizon made may have failed with a 5xx. The tests
share one deployment and run in file order.
"""

import os
import shutil
import tempfile
import time
import uuid

import pytest

from tests.functional.horizon import catalog_stubs
from tests.functional.horizon import deployment as horizon_deployment
from tests.functional.horizon import venv
from tests.harness import entrypoints
from tests.harness import processes
from tests.harness import services

CHROMIUM = '/usr/bin/chromium'
CHROMEDRIVER = '/usr/bin/chromedriver'
CHROMIUM_FLAGS = (
    '--headless', '--no-sandbox', '--disable-gpu',
    '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--window-size=1400,1000')
ARTIFACTS = os.path.join(entrypoints.REPO_ROOT, 'artifacts', 'horizon')
TEMPLATE = 'k8s-fake'
CLUSTER = 'web'
WAIT = 60
# The Swarm cluster's create started with the deployment; it has had
# Horizon's start and the tests before the Containers panel's to finish.
SWARM_WAIT = 240


@pytest.fixture(scope='module')
def deployment(tmp_path_factory):
    for command in ('keystone-manage', 'gunicorn', 'magnum-lite-aio'):
        if not os.path.exists(os.path.join(processes.BIN, command)):
            services.missing(command, 'not installed in %s' % processes.BIN)
    if not os.path.exists('/bin/busybox'):
        services.missing('busybox-static', 'apt-get install busybox-static')
    try:
        python = venv.ensure()
    except Exception as exc:  # no PyPI, or a broken install
        services.missing('Horizon in %s' % venv.PATH, str(exc))
    docker = services.require_docker()
    deployment = horizon_deployment.Deployment(
        tmp_path_factory.mktemp('horizon'), python, docker)
    try:
        deployment.start()
        yield deployment
    except BaseException:
        print(deployment.logs())
        raise
    finally:
        try:
            deployment.stop()
        finally:
            docker.close()


@pytest.fixture(scope='module')
def browser(deployment):
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.path.exists(path):
            services.missing(path, 'apt-get install chromium chromium-driver')
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome import service
    except ImportError as exc:
        services.missing('selenium', str(exc))
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix='chromium-')
    options.add_argument('--user-data-dir=' + profile)
    driver = webdriver.Chrome(options=options,
                              service=service.Service(CHROMEDRIVER))
    driver.implicitly_wait(0)
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    os.makedirs(ARTIFACTS)
    yield Browser(driver, deployment.horizon.url)
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(autouse=True)
def evidence_on_failure(request, deployment):
    yield
    report = getattr(request.node, 'rep_call', None)
    if report is not None and report.failed:
        print(deployment.logs())
        page = request.node.funcargs.get('browser')
        if page is not None:
            page.screenshot('failed-' + request.node.name)


class Browser:
    """The few gestures the tests make, each waiting for the page."""

    def __init__(self, driver, url):
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import ui
        self.driver = driver
        self.url = url
        self.by = By
        self.select_class = ui.Select

    def wait(self, predicate, what, timeout=WAIT):
        return processes.wait_for(lambda: predicate(self.driver),
                                  timeout=timeout, interval=0.3, what=what)

    def find(self, css, timeout=WAIT):
        def visible(driver):
            found = [e for e in driver.find_elements(self.by.CSS_SELECTOR,
                                                     css)
                     if e.is_displayed()]
            return found[0] if found else None
        return self.wait(visible, 'a visible %s' % css, timeout)

    def open(self, path):
        self.driver.get(self.url + path)

    def login(self, username, password):
        self.driver.delete_all_cookies()
        self.open('/auth/login/')
        self.find('#id_username').send_keys(username)
        self.find('#id_password').send_keys(password)
        self.find('#loginBtn').click()
        self.wait(lambda d: '/auth/login' not in d.current_url,
                  'the login of %s' % username)

    def click_text(self, text, css='button, a', timeout=WAIT):
        def button(driver):
            for element in driver.find_elements(self.by.CSS_SELECTOR, css):
                # An <input type="submit"> shows its value, not a text.
                label = element.text.strip() or (
                    element.get_attribute('value') or '').strip()
                if element.is_displayed() and element.is_enabled() and \
                        label == text:
                    return element
        self.wait(button, 'a button "%s"' % text, timeout).click()

    def fill(self, name, value):
        field = self.find('.modal [name="%s"]' % name)
        field.clear()
        field.send_keys(value)

    def choose(self, name, text):
        """Pick the option `text` once the select has it (lists load)."""
        def option(driver):
            select = self.find('.modal select[name="%s"]' % name)
            texts = [o.text.strip() for o in select.find_elements(
                self.by.TAG_NAME, 'option')]
            return select if text in texts else None
        select = self.wait(option, 'option %s of %s' % (text, name))
        self.select_class(select).select_by_visible_text(text)

    def tab(self, title):
        self.click_text(title, '.modal .nav a, .modal li a')

    def text(self):
        return self.driver.find_element(self.by.TAG_NAME, 'body').text

    def row(self, name):
        """The table row with a cell `name` (None if there is none)."""
        for row in self.driver.find_elements(self.by.TAG_NAME, 'tr'):
            cells = [cell.text.strip() for cell in
                     row.find_elements(self.by.TAG_NAME, 'td')]
            if name in cells:
                return row
        return None

    def row_text(self, name):
        row = self.row(name)
        return row.text if row is not None else ''

    def cell(self, name, header):
        """The text of the row `name`'s cell under the column `header`."""
        headers = [th.text.strip() for th in self.driver.find_elements(
            self.by.CSS_SELECTOR, 'thead tr.table_column_header th')]
        row = self.row(name)
        if row is None or header not in headers:
            return None
        cells = row.find_elements(self.by.TAG_NAME, 'td')
        return cells[headers.index(header)].text.strip()

    def row_action(self, name, label):
        """Click the row `name`'s action `label` (in its menu if there)."""
        def action(driver):
            row = self.row(name)
            if row is None:
                return None
            for element in row.find_elements(self.by.CSS_SELECTOR,
                                             'button, a'):
                if element.is_displayed() and element.text.strip() == label:
                    return element
            toggles = [t for t in row.find_elements(
                self.by.CSS_SELECTOR, '.dropdown-toggle') if t.is_displayed()]
            if toggles and toggles[0].get_attribute(
                    'aria-expanded') != 'true':
                toggles[0].click()
        self.wait(action, 'the action "%s" of %s' % (label, name)).click()

    def confirm(self, label):
        """Click `label` in the confirmation dialog."""
        self.click_text(label, '.modal-footer a, .modal-footer button')

    def wait_text(self, *texts, timeout=WAIT, reload_every=None, row=None):
        """Until the page (or the row of `row`) shows every text.

        The page is reloaded every `reload_every` seconds if given.
        """
        last = [time.monotonic()]

        def shown(driver):
            if reload_every and time.monotonic() - last[0] > reload_every:
                driver.refresh()
                last[0] = time.monotonic()
            body = self.row_text(row) if row else self.text()
            return all(t in body for t in texts)
        self.wait(shown, 'the %s to show %s' % (
            'row of %s' % row if row else 'page', texts), timeout)

    def screenshot(self, name):
        self.driver.save_screenshot(os.path.join(ARTIFACTS, name + '.png'))


# The tests -------------------------------------------------------------------

def test_member_sees_the_container_infra_panels(deployment, browser):
    browser.login(horizon_deployment.MEMBER, horizon_deployment.PASSWORD)
    browser.open('/project/cluster_templates/')
    browser.wait_text('Cluster Templates', 'Clusters', 'Containers')
    browser.screenshot('01-cluster-templates')


def test_create_cluster_template_through_the_form(deployment, browser):
    browser.open('/project/cluster_templates/')
    browser.click_text('Create Cluster Template')
    browser.fill('name', TEMPLATE)
    browser.choose('coe', 'Kubernetes')
    browser.tab('Node Spec')
    browser.choose('image_id', 'fedora-coreos-40')
    browser.choose('flavor_id', 'ds4G')
    browser.tab('Network')
    browser.choose('external_network_id', 'public')
    browser.screenshot('02-cluster-template-form')
    browser.click_text('Submit', '.modal-footer button')
    browser.wait_text(TEMPLATE, reload_every=10)
    browser.screenshot('03-cluster-template-listed')
    status, body = deployment.http(horizon_deployment.MEMBER, 'GET',
                                   '/clustertemplates/' + TEMPLATE)
    assert status == 200, body
    assert (body['coe'], body['image_id'], body['external_network_id'],
            body['flavor_id']) == ('kubernetes', 'fedora-coreos-40',
                                   catalog_stubs.NETWORK['id'], 'ds4G')


def test_create_cluster_through_the_form(deployment, browser):
    browser.open('/project/clusters/')
    browser.click_text('Create Cluster')
    browser.fill('name', CLUSTER)
    browser.choose('cluster_template_id', TEMPLATE)
    browser.choose('availability_zone', 'nova')
    browser.choose('keypair', 'default')
    browser.tab('Size')
    browser.choose('master_flavor_id', 'ds4G')
    browser.choose('flavor_id', 'ds4G')
    browser.fill('node_count', '2')
    browser.screenshot('04-cluster-form')
    browser.click_text('Submit', '.modal-footer button')
    # The conductor's status sync finishes the fake driver's create.
    browser.wait_text('CREATE_COMPLETE', row=CLUSTER, reload_every=5)
    browser.screenshot('05-cluster-create-complete')
    status, body = deployment.http(horizon_deployment.MEMBER, 'GET',
                                   '/clusters/' + CLUSTER)
    assert status == 200, body
    assert (body['status'], body['node_count'], body['keypair']) == (
        'CREATE_COMPLETE', 2, 'default'), body


def test_admin_edits_quotas(deployment, browser):
    browser.login('admin', horizon_deployment.ADMIN_PASSWORD)
    browser.open('/admin/container_infra/quotas/')
    browser.click_text('Create Quota')
    browser.choose('project_id', 'project-a')
    browser.choose('resource', 'Cluster')
    browser.fill('hard_limit', '5')
    browser.click_text('Submit', '.modal-footer button')
    project = deployment.ids['project-a']
    browser.wait_text(project, 'Cluster', reload_every=5)
    browser.screenshot('06-quota-created')
    browser.click_text('Update Quota')
    # The form reads the quota after it opens: type once it has.
    browser.wait(lambda driver: browser.find(
        '.modal [name="hard_limit"]').get_attribute('value') == '5',
        'the quota in the update form')
    browser.fill('hard_limit', '7')
    browser.click_text('Submit', '.modal-footer button')

    def updated():
        status, body = deployment.http('admin', 'GET',
                                       '/quotas/%s/Cluster' % project)
        return status == 200 and body['hard_limit'] == 7
    processes.wait_for(updated, timeout=WAIT, what='the quota update')
    browser.open('/admin/container_infra/quotas/')
    browser.wait_text(project, 'Cluster')
    browser.screenshot('07-quota-updated')


# What the container runs: a greeting from its environment, then a line a
# second until it is stopped (TERM ends it at once).
COMMAND = ("sh -c 'trap \"exit 0\" TERM; echo \"hello $GREETING\"; i=0; "
           "while true; do i=$((i+1)); echo tick-$i; sleep 1; done'")


def _swarm_cluster(deployment):
    """The deployment's Swarm cluster, once its create is complete."""
    deadline = time.monotonic() + SWARM_WAIT
    while True:
        status, body = deployment.http(
            horizon_deployment.MEMBER, 'GET',
            '/clusters/%s' % deployment.swarm_uuid)
        assert status == 200, body
        if body['status'] == 'CREATE_COMPLETE':
            return body
        assert body['status'] == 'CREATE_IN_PROGRESS', (
            body['status'], body['status_reason'])
        assert time.monotonic() < deadline, body
        time.sleep(1)


def _container_created(deployment, name, timeout=90):
    """The container once its create has ended (in Running, or not).

    Not found: the form's request has not reached the API yet.
    """
    deadline = time.monotonic() + timeout
    while True:
        status, body = deployment.http(horizon_deployment.MEMBER, 'GET',
                                       '/containers/' + name)
        assert status in (200, 404), body
        if status == 200 and body['status'] != 'Creating':
            assert body['status'] == 'Running', body
            return body
        assert time.monotonic() < deadline, body
        time.sleep(0.5)


def _logs_text(browser):
    return browser.find('#container-logs').get_attribute('textContent')


def test_containers_panel(deployment, browser):
    # Markup in the output: the logs page must show it as text.
    greeting = '<b>%s</b>' % uuid.uuid4().hex[:8]
    swarm = _swarm_cluster(deployment)
    browser.login(horizon_deployment.MEMBER, horizon_deployment.PASSWORD)
    browser.open('/project/coe_containers/')
    browser.wait_text('Containers', 'No items to display')
    browser.click_text('Create Container')
    browser.choose('cluster', horizon_deployment.SWARM_CLUSTER)
    browser.fill('name', 'hello')
    browser.fill('image', deployment.busybox)
    browser.fill('command', COMMAND)
    browser.fill('environment', 'GREETING=' + greeting)
    browser.fill('memory', '64m')
    browser.screenshot('08-container-form')
    browser.click_text('Create', '.modal-footer button, .modal-footer input')
    body = _container_created(deployment, 'hello')
    # Creating, then Running: the row polls its status by itself.
    browser.wait_text('Running', row='hello', reload_every=15)
    browser.screenshot('09-container-running')
    assert (body['status'], body['cluster_uuid'], body['image'],
            body['environment'], body['memory']) == (
        'Running', swarm['uuid'], deployment.busybox,
        {'GREETING': greeting}, '64m'), body
    # The cluster by its name, linked to magnum-ui's page of it.
    assert browser.cell('hello', 'Cluster') == swarm['name']
    link = browser.row('hello').find_element(
        browser.by.LINK_TEXT, swarm['name']).get_attribute('href')
    assert link.endswith('/ngdetails/OS::Magnum::Cluster/%s' % swarm['uuid'])

    # The logs page, from the container's name: its real output.
    browser.click_text('hello', 'table a')
    browser.wait(lambda d: 'hello %s\ntick-1\n' % greeting in
                 _logs_text(browser), 'the greeting in the logs page')
    browser.wait_text('hello ' + greeting, 'Running')
    assert browser.find('#container-logs').find_elements(
        browser.by.TAG_NAME, 'b') == []
    browser.screenshot('10-container-logs')
    # The page reads the output again by itself, without a reload.
    browser.driver.execute_script('window.notReloaded = true;')
    ticks = _logs_text(browser).count('tick-')
    browser.wait(lambda d: _logs_text(browser).count('tick-') > ticks,
                 'the logs page to show the new lines', timeout=30)
    assert browser.driver.execute_script('return window.notReloaded;')
    browser.screenshot('11-container-logs-refreshed')

    # The row's actions, each on the real container: the status the table
    # shows on the page the action returns to, and the one the API reports.
    browser.click_text('Back to Containers')
    for number, (verb, confirm, status) in enumerate((
            ('Pause', False, 'Paused'),
            ('Unpause', False, 'Running'),
            ('Reboot', True, 'Running'),
            ('Stop', True, 'Stopped'),
            ('Start', False, 'Running'),
            ('Stop', True, 'Stopped')), 12):
        browser.driver.execute_script('window.beforeAction = true;')
        browser.row_action('hello', verb + ' Container')
        if confirm:
            browser.confirm(verb + ' Container')
        browser.wait(lambda d: not d.execute_script(
            'return window.beforeAction === true;'),
            'the page after %s' % verb)
        browser.wait(lambda d: browser.cell('hello', 'Status') == status,
                     'the row of hello to show %s' % status)
        browser.screenshot('%02d-container-%s-%s' % (
            number, verb.lower(), status.lower()))
        _, body = deployment.http(horizon_deployment.MEMBER, 'GET',
                                  '/containers/hello')
        assert body['status'] == status, (verb, body)
    # Rebooted, then started again, it ran its command three times.
    browser.click_text('hello', 'table a')
    browser.wait(lambda d: _logs_text(browser).count(
        'hello ' + greeting) == 3, 'the greeting thrice in the logs page')
    browser.wait_text('Stopped')
    browser.screenshot('18-container-logs-restarted')

    browser.click_text('Back to Containers')
    browser.row_action('hello', 'Delete Container')
    browser.confirm('Delete Container')
    browser.wait_text('No items to display', reload_every=5)
    browser.screenshot('19-container-deleted')
    status, _ = deployment.http(horizon_deployment.MEMBER, 'GET',
                                '/containers/hello')
    assert status == 404


def test_no_request_of_horizon_failed_on_the_server(deployment):
    served = deployment.api_requests()
    paths = {path.split('?')[0] for _, path, _ in served}
    # What magnum-ui reads: /detail lists, stats, quotas of all projects.
    for path in ('/v1/clustertemplates/detail', '/v1/clusters/detail',
                 '/v1/stats', '/v1/quotas', '/v1/containers'):
        assert path in paths, sorted(paths)
    # What our logs page read of the running container.
    assert any(path.endswith('/logs') and status == 200
               for _, path, status in served), sorted(paths)
    # The clusters of the Containers table, and the row's actions.
    assert '/v1/clusters' in paths, sorted(paths)
    for action in ('start', 'stop', 'reboot', 'pause', 'unpause'):
        assert any(method == 'PUT' and path.endswith('/' + action) and
                   status == 200 for method, path, status in served), (
            action, sorted(paths))
    errors = [request for request in served if request[2] >= 500]
    assert not errors, errors
