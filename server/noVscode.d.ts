// What `import 'vscode'` resolves to in the server and protocol layers (their tsconfig `paths`): a file
// that is not a module, so the import fails to compile ("is not a module"). `types` alone only keeps
// the VS Code API from being global; the import would still find @types/vscode.
