import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from '../helpers';

const COMMANDS = ['lint', 'explain', 'scan', 'query', 'detectors'];

describe('k8s-audit help', () => {
  it('--help lists every command and says where the details are', () => {
    const help = runCli(['--help']);
    assert.equal(help.status, 0);
    for (const command of COMMANDS) assert.match(help.stdout, new RegExp(`^  k8s-audit ${command}\\b`, 'm'), command);
    assert.match(help.stdout, /k8s-audit help COMMAND/);
  });

  for (const command of COMMANDS) {
    it(`${command} --help, ${command} -h and help ${command} print that command's usage and exit 0`, () => {
      for (const args of [[command, '--help'], [command, '-h'], ['help', command], [command, 'some-file', '--format', 'json', '--help']]) {
        const result = runCli(args);
        assert.equal(result.status, 0, `${args.join(' ')}: ${result.stderr}`);
        assert.equal(result.stderr, '');
        assert.match(result.stdout, new RegExp(`^Usage: k8s-audit ${command}\\b`), args.join(' '));
        assert.match(result.stdout, /Exit status: 0/);
        for (const other of COMMANDS.filter((c) => c !== command)) assert.doesNotMatch(result.stdout, new RegExp(`k8s-audit ${other}\\b`), `${args.join(' ')} shows only ${command}`);
      }
    });
  }

  it('help for an unknown command is a usage error', () => {
    const result = runCli(['help', 'frobnicate']);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /unknown command "frobnicate"/);
  });

  it('an argument after -- is a file name, not a request for help', () => {
    const result = runCli(['lint', '--', '--help']);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /cannot read --help: no such file/);
  });
});
