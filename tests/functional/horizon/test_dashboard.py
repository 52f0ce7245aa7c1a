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

Keystone, magnum-lite (keystone auth, fake cluster driver) and Horizon
with magnum-ui and our plugin run on loopback (see deployment); headless
Chromium from Debian, driven by Selenium, does what a user does: log in,
create a cluster template and a cluster through magnum-ui's forms, watch
them listed with their status, edit quotas as admin, and open our
Containers panel. Screenshots go to artifacts/horizon/. The last test
reads magnum-lite's access log: no request Horizon made may have failed
with a 5xx. The tests share one deployment and run in file order.
"""

import os
import shutil
import tempfile
import time

import pytest

from tests.fakes import entrypoints
from tests.fakes import processes
from tests.functional.horizon import catalog_stubs
from tests.functional.horizon import deployment as horizon_deployment
from tests.functional.horizon import venv
from tests import services

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


@pytest.fixture(scope='module')
def deployment(tmp_path_factory):
    for command in ('keystone-manage', 'gunicorn', 'magnum-lite-aio'):
        if not os.path.exists(os.path.join(processes.BIN, command)):
            services.missing(command, 'not installed in %s' % processes.BIN)
    try:
        python = venv.ensure()
    except Exception as exc:  # no PyPI, or a broken install
        services.missing('Horizon in %s' % venv.PATH, str(exc))
    deployment = horizon_deployment.Deployment(
        tmp_path_factory.mktemp('horizon'), python)
    try:
        deployment.start()
        yield deployment
    except BaseException:
        print(deployment.logs())
        raise
    finally:
        deployment.stop()


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

    def click_text(self, text, css='button, a'):
        def button(driver):
            for element in driver.find_elements(self.by.CSS_SELECTOR, css):
                # An <input type="submit"> shows its value, not a text.
                label = element.text.strip() or (
                    element.get_attribute('value') or '').strip()
                if element.is_displayed() and element.is_enabled() and \
                        label == text:
                    return element
        self.wait(button, 'a button "%s"' % text).click()

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

    def wait_text(self, *texts, timeout=WAIT, reload_every=None):
        """Until the page shows every text; reloading it now and then."""
        last = [time.monotonic()]

        def shown(driver):
            if reload_every and time.monotonic() - last[0] > reload_every:
                driver.refresh()
                last[0] = time.monotonic()
            body = self.text()
            return all(t in body for t in texts)
        self.wait(shown, 'the page to show %s' % (texts,), timeout)

    def screenshot(self, name):
        self.driver.save_screenshot(os.path.join(ARTIFACTS, name + '.png'))


# The tests -------------------------------------------------------------------

def test_member_sees_the_container_infra_panels(deployment, browser):
    browser.login(horizon_deployment.MEMBER, horizon_deployment.PASSWORD)
    browser.open('/project/cluster_templates/')
    browser.wait_text('Cluster Templates', 'Clusters', 'Containers')
    browser.screenshot('01-cluster-templates-empty')


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
    browser.wait_text(CLUSTER, 'CREATE_COMPLETE', reload_every=5)
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


def _swarm_cluster(deployment):
    """A Swarm cluster of the fake driver, made through the API."""
    user = horizon_deployment.MEMBER
    status, body = deployment.http(user, 'POST', '/clustertemplates', {
        'name': 'swarm-fake', 'coe': 'swarm-mode',
        'image_id': 'fedora-coreos-40', 'external_network_id': 'public',
        'labels': {'os_distro': 'fedora-coreos'}})
    assert status == 201, body
    status, body = deployment.http(user, 'POST', '/clusters', {
        'name': 'swarm', 'cluster_template_id': 'swarm-fake',
        'node_count': 1})
    assert status == 202, body
    deployment.wait_status(user, '/clusters/swarm', 'CREATE_COMPLETE')


def test_containers_panel(deployment, browser):
    _swarm_cluster(deployment)
    browser.login(horizon_deployment.MEMBER, horizon_deployment.PASSWORD)
    browser.open('/project/coe_containers/')
    browser.wait_text('Containers', 'No items to display')
    browser.click_text('Create Container')
    browser.choose('cluster', 'swarm')
    browser.fill('name', 'hello')
    browser.fill('image', 'busybox')
    browser.fill('command', 'echo hello')
    browser.fill('environment', 'GREETING=hello')
    browser.fill('memory', '64m')
    browser.screenshot('08-container-form')
    browser.click_text('Create', '.modal-footer button, .modal-footer input')
    browser.wait_text('hello', 'busybox', reload_every=5)
    status, body = deployment.http(horizon_deployment.MEMBER, 'GET',
                                   '/containers/hello')
    assert status == 200, body
    assert (body['image'], body['command'], body['environment'],
            body['memory']) == ('busybox', 'echo hello',
                                {'GREETING': 'hello'}, '64m'), body
    # Without a Docker engine the fake cluster has no node to run it on:
    # the conductor ends the create in Error, and the table shows it.
    failed = deployment.wait_status(horizon_deployment.MEMBER,
                                    '/containers/hello', 'Error')
    browser.wait_text('hello', 'Error', reload_every=5)
    browser.screenshot('09-container-listed')
    # Its logs page answers with the API's refusal, not a server error.
    browser.open('/project/coe_containers/%s/logs/' % failed['uuid'])
    browser.wait_text('Unable to read the container logs')
    browser.screenshot('10-container-logs-refused')
    browser.open('/project/coe_containers/')
    browser.click_text('Delete Container', 'button, a')
    browser.click_text('Delete Container', '.modal-footer a, '
                       '.modal-footer button')
    browser.wait_text('No items to display', reload_every=5)
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
    errors = [request for request in served if request[2] >= 500]
    assert not errors, errors
