// Export to Kubernetes… in a French workbench: the document's header and notes, and the error for a
// Service type that does not exist, read as French (the manifests themselves are Kubernetes' words).
import { strict as assert } from 'assert';
import * as vscode from 'vscode';
import { BASE_IMAGE, testLabels, uniqueName } from '../../support/testEngine';
import { hasWorkbenchBridge } from '../suite/bridge';
import { docker, useBerthInWorkbench, waitFor } from '../suite/helpers';

describe('Export to Kubernetes in French', function () {
  const berth = useBerthInWorkbench();

  before(function () {
    if (!hasWorkbenchBridge) throw new Error('run with the web launcher (node out/test/vscode/launch/main.js fr)');
    assert.equal(vscode.env.language, 'fr', 'the workbench was not opened in French');
  });

  after(async () => {
    while (vscode.window.activeTextEditor) await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('writes the header and the notes in French', async function () {
    this.timeout(60_000);
    const name = uniqueName('berth-test-kube-fr');
    const container = await docker.createContainer({
      name,
      Image: BASE_IMAGE,
      Cmd: ['httpd', '-f', '-p', '80', '-h', '/'],
      Env: ['API_TOKEN=fr-secret-value', 'MODE=demo'],
      Labels: testLabels(),
      ExposedPorts: { '80/tcp': {} },
      HostConfig: { PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] }, Binds: ['/tmp:/host-tmp:ro'] },
    });
    await container.start();
    await waitFor('the container in the store', () => berth.api.session.containers.get(container.id));
    const uri = await vscode.commands.executeCommand<string>('berth.containers.exportKube', container.id, { serviceType: 'ClusterIP' });
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri && !d.isClosed);
    assert.ok(doc, `no document for ${uri}`);
    const text = doc.getText().replace(/\n# {3}/g, ' ');
    assert.match(text, new RegExp(`^# Manifestes Kubernetes pour le conteneur ${name}, faits par Berth \\(API Kubernetes 1\\.34\\)\\.`));
    assert.match(text, /^# Non repris, ou modifié en chemin\u00a0:$/m);
    assert.match(text, /la valeur de API_TOKEN semble secrète/);
    assert.match(text, /le montage de dossier \/tmp -> \/host-tmp demande une décision/);
    assert.ok(!text.includes('fr-secret-value'));
  });
});
