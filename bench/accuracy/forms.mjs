// The everyday files secrets are written into, for generate.mjs. A form turns a list of entries
// (a name and a value, or a whole line) into the text of one file, and says on which line each
// entry's value ended up.

/** `stripeSecretKey`, `stripe-secret-key` or `STRIPE_SECRET_KEY` as words. */
const words = (name) =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase())
    // `azureOpenAiKey` is AZURE_OPENAI_KEY in an .env file, not AZURE_OPEN_AI_KEY.
    .reduce(
      (list, word) =>
        word === 'ai' && list.at(-1) === 'open' ? [...list.slice(0, -1), 'openai'] : [...list, word],
      [],
    );

export const upper = (name) => words(name).join('_').toUpperCase();
export const snake = (name) => words(name).join('_');
export const kebab = (name) => words(name).join('-');
export const camel = (name) =>
  words(name)
    .map((word, index) => (index === 0 ? word : word[0]?.toUpperCase() + word.slice(1)))
    .join('');
export const pascal = (name) =>
  words(name)
    .map((word) => word[0]?.toUpperCase() + word.slice(1))
    .join('');

/** A JSON string's inside: the value with quotes and backslashes escaped. */
const json = (value) => JSON.stringify(value).slice(1, -1);

/**
 * A form: the file's path in a project, lines before and after the entries, and each entry's line.
 * `line(entry, index, count)` returns the entry's text (several lines when it holds newlines).
 */
const form = (path, head, line, tail = [], options = {}) => ({ path, head, line, tail, ...options });

export const FORMS = {
  env: form(
    '.env',
    (p) => [`# ${p} settings for local runs`, 'NODE_ENV=production', 'PORT=8080'],
    (e) => `${upper(e.name)}=${e.value}`,
  ),
  shell: form(
    'scripts/bootstrap.sh',
    (p) => ['#!/usr/bin/env bash', 'set -euo pipefail', `# Sets up ${p} on a fresh box`, ''],
    (e) => `export ${upper(e.name)}="${e.value}"`,
    ['', 'exec ./bin/server --port "${PORT:-8080}"'],
  ),
  python: form(
    'app/settings.py',
    () => [
      'import os',
      'from pathlib import Path',
      '',
      'BASE_DIR = Path(__file__).resolve().parent',
      'DEBUG = False',
    ],
    (e) => `${upper(e.name)} = "${e.value}"`,
    ['', 'LOGGING = {"version": 1, "disable_existing_loggers": False}'],
  ),
  typescript: form(
    'src/config.ts',
    () => ["import { z } from 'zod';", '', 'export const config = {', "  region: 'eu-west-1',"],
    (e) => `  ${camel(e.name)}: '${e.value}',`,
    ['} as const;', '', 'export type Config = typeof config;'],
  ),
  json: form(
    'config/default.json',
    (p) => [
      '{',
      `  "name": "${p}",`,
      '  "server": { "port": 8080, "host": "0.0.0.0" },',
      '  "integrations": {',
    ],
    (e, index, count) => `    "${camel(e.name)}": "${json(e.value)}"${index < count - 1 ? ',' : ''}`,
    ['  }', '}'],
  ),
  yaml: form(
    'config/application.yml',
    (p) => ['spring:', '  application:', `    name: ${p}`, 'integrations:'],
    (e) => `  ${snake(e.name)}: ${e.value}`,
    ['logging:', '  level:', '    root: INFO'],
  ),
  compose: form(
    'docker-compose.yml',
    (p) => [
      'services:',
      '  api:',
      `    image: ghcr.io/acme/${p}:latest`,
      '    ports: ["8080:8080"]',
      '    environment:',
    ],
    (e) => `      - ${upper(e.name)}=${e.value}`,
    ['  db:', '    image: postgres:16'],
  ),
  kubernetes: form(
    'k8s/secret.yaml',
    (p) => ['apiVersion: v1', 'kind: Secret', 'metadata:', `  name: ${p}-env`, 'type: Opaque', 'stringData:'],
    (e) => `  ${upper(e.name)}: "${e.value}"`,
  ),
  workflow: form(
    '.github/workflows/deploy.yml',
    () => [
      'name: deploy',
      'on:',
      '  push:',
      '    branches: [main]',
      'jobs:',
      '  deploy:',
      '    runs-on: ubuntu-latest',
      '    env:',
    ],
    (e) => `      ${upper(e.name)}: ${e.value}`,
    ['    steps:', '      - uses: actions/checkout@v4', '      - run: make deploy'],
  ),
  terraform: form(
    'infra/main.tf',
    () => ['terraform {', '  required_version = ">= 1.6"', '}', '', 'locals {'],
    (e) => `  ${snake(e.name)} = "${e.value}"`,
    ['}'],
  ),
  toml: form(
    'config.toml',
    (p) => ['[app]', `name = "${p}"`, 'workers = 4', '', '[integrations]'],
    (e) => `${snake(e.name)} = "${e.value}"`,
  ),
  properties: form(
    'src/main/resources/application.properties',
    (p) => [`spring.application.name=${p}`, 'server.port=8080'],
    (e) => `app.${kebab(e.name)}=${e.value}`,
  ),
  ini: form(
    'settings.ini',
    () => ['[server]', 'host = 0.0.0.0', 'port = 8080', '', '[credentials]'],
    (e) => `${snake(e.name)} = ${e.value}`,
  ),
  dockerfile: form(
    'Dockerfile',
    () => ['FROM node:20-alpine', 'WORKDIR /app', 'COPY package*.json ./', 'RUN npm ci --omit=dev'],
    (e, index) => (index % 3 === 2 ? `ENV ${upper(e.name)} ${e.value}` : `ENV ${upper(e.name)}=${e.value}`),
    ['COPY . .', 'CMD ["node", "server.js"]'],
  ),
  go: form(
    'internal/config/config.go',
    () => ['package config', '', 'const ('],
    (e) => `\t${pascal(e.name)} = "${e.value}"`,
    [')'],
  ),
  java: form(
    'src/main/java/com/acme/Keys.java',
    () => ['package com.acme;', '', 'public final class Keys {', '    private Keys() {}'],
    (e) => `    public static final String ${upper(e.name)} = "${e.value}";`,
    ['}'],
  ),
  appsettings: form(
    'appsettings.json',
    () => [
      '{',
      '  "Logging": { "LogLevel": { "Default": "Information" } },',
      '  "AllowedHosts": "*",',
      '  "Integrations": {',
    ],
    (e, index, count) => `    "${pascal(e.name)}": "${json(e.value)}"${index < count - 1 ? ',' : ''}`,
    ['  }', '}'],
  ),
  xml: form(
    'Web.config',
    () => ['<?xml version="1.0" encoding="utf-8"?>', '<configuration>', '  <appSettings>'],
    (e) => `    <add key="${pascal(e.name)}" value="${e.value.replace(/&/g, '&amp;')}" />`,
    ['  </appSettings>', '</configuration>'],
  ),
  ruby: form(
    'config/initializers/integrations.rb',
    () => ['Rails.application.configure do'],
    (e) => `  config.x.${snake(e.name)} = "${e.value}"`,
    ['end'],
  ),
  php: form(
    'config/services.php',
    () => ['<?php', '', 'return ['],
    (e) => `    '${snake(e.name)}' => '${e.value}',`,
    ['];'],
  ),
  notebook: form(
    'notebooks/explore.ipynb',
    () => [
      '{',
      ' "cells": [',
      '  {',
      '   "cell_type": "code",',
      '   "execution_count": 1,',
      '   "metadata": {},',
      '   "outputs": [],',
      '   "source": [',
      '    "import os\\n",',
    ],
    (e, index, count) =>
      `    "os.environ[\\"${upper(e.name)}\\"] = \\"${json(e.value)}\\"${index < count - 1 ? '\\n' : ''}"${index < count - 1 ? ',' : ''}`,
    [
      '   ]',
      '  }',
      ' ],',
      ' "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},',
      ' "nbformat": 4,',
      ' "nbformat_minor": 5',
      '}',
    ],
  ),
  // Whole lines as people paste them: commands, URLs, code calls.
  script: form(
    'scripts/smoke-test.sh',
    () => ['#!/bin/sh', '# Manual smoke test against staging; run from the repo root', 'set -e'],
    (e) => e.raw,
    ['echo "smoke test passed"'],
  ),
  runbook: form(
    'docs/runbook.md',
    (p) => [`# ${p} runbook`, '', 'How we reached the service during the last incident:', '', '```'],
    (e) => e.raw,
    ['```', '', 'Rotate anything above after use.'],
  ),
};

/** Forms a `name = value` entry can take, in the order generate.mjs deals entries out. */
export const ASSIGNMENT_FORMS = Object.keys(FORMS).filter((name) => name !== 'script' && name !== 'runbook');

/**
 * Renders `entries` in `form`: the file's text and, per entry, the 1-based line of its value
 * (the first line of the entry when the value is not found in it).
 */
export function render(formName, project, entries, eol = '\n') {
  const shape = FORMS[formName];
  const lines = [...shape.head(project)];
  const at = [];
  entries.forEach((entry, index) => {
    const text = shape.line(entry, index, entries.length);
    const before = text.slice(0, Math.max(0, text.indexOf(entry.mark ?? entry.value)));
    at.push(lines.length + 1 + (before.match(/\n/g)?.length ?? 0));
    lines.push(...text.split('\n'));
  });
  lines.push(...shape.tail);
  return { path: shape.path, text: lines.join(eol) + eol, at };
}
