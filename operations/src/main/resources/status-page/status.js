// The status page: /api/status drawn as the pipeline's chain and the table of make status, every 5 s. No library, no network beyond this server.
'use strict';

const number = (n) => (n === null || n === undefined ? '–' : Number(n).toLocaleString('en-US'));

function element(tag, attributes, ...children) {
  const node = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([key, value]) => node.setAttribute(key, value));
  children.flat().forEach((child) => node.append(child));
  return node;
}

function stage(id, title, healthy, state, facts) {
  return element('div', { id, class: 'stage ' + (healthy ? 'healthy' : 'unhealthy') },
    element('h3', {}, title),
    element('div', { class: 'state' }, state),
    element('ul', {}, facts.map((fact) => element('li', {}, fact))));
}

function row(components, name) {
  return components.find((c) => c.component === name) || { state: 'unknown', healthy: false, detail: '' };
}

function chain(status) {
  const p = status.pipeline;
  const c = status.components;
  const postgres = row(c, 'postgres');
  const slot = row(c, 'replication slot');
  const tables = Object.entries(p.postgres.tableRows || {}).map(([t, n]) => `${t}: ${number(n)} rows`);
  const slotFacts = p.postgres.slot
    ? [`slot ${p.postgres.slot.name}: ${p.postgres.slot.walStatus}, lag ${number(p.postgres.slot.lagBytes)} bytes`]
    : [slot.detail];
  const connect = row(c, 'connect');
  const kafka = row(c, 'kafka');
  const lag = row(c, "job's Kafka lag");
  const job = row(c, 'job');
  const checkpoint = p.flink.job && p.flink.job.lastCheckpoint
    ? [`last checkpoint #${p.flink.job.lastCheckpoint.id}, ${Math.round((p.takenAtMillis - p.flink.job.lastCheckpoint.completedAtMillis) / 1000)} s ago`]
    : ['no checkpoint yet'];
  const tasks = p.flink.job ? [`${p.flink.job.tasksRunning} of ${p.flink.job.tasksTotal} tasks running`] : [];
  const figures = p.flink.job && p.flink.job.figures;
  const written = figures ? [
    `${number(figures.documentsWritten)} documents written`,
    `${number(figures.deadLetters || 0)} dead letters`,
    `commit → written: ${figures.commitToWrittenMillis === null ? '–' : (figures.commitToWrittenMillis / 1000).toFixed(1) + ' s'}`,
  ] : [];
  const openSearch = row(c, 'opensearch');
  const indexes = Object.entries(p.indexTables).map(([index, table]) => {
    const documents = (p.openSearch.documents || {})[index];
    const rows = (p.postgres.tableRows || {})[table];
    return `${index}: ${number(documents)} documents / ${number(rows)} rows`;
  });
  const arrow = () => element('div', { class: 'arrow', 'aria-hidden': 'true' }, '→');
  return [
    stage('stage-postgres', 'PostgreSQL', postgres.healthy && slot.healthy, postgres.healthy ? slot.state : postgres.state, tables.concat(slotFacts)),
    arrow(),
    stage('stage-debezium', 'Debezium (Kafka Connect)', connect.healthy, connect.state, [connect.detail]),
    arrow(),
    stage('stage-kafka', 'Kafka', kafka.healthy, kafka.state, [`job's lag: ${lag.state} records`]),
    arrow(),
    stage('stage-job', 'Flink job', job.healthy, job.state, tasks.concat(written, checkpoint)),
    arrow(),
    stage('stage-opensearch', 'OpenSearch', openSearch.healthy, openSearch.state, indexes),
  ];
}

async function refresh() {
  try {
    const response = await fetch('api/status', { cache: 'no-store' });
    const status = await response.json();
    const verdict = document.getElementById('verdict');
    verdict.textContent = status.healthy ? 'Healthy: every part is up and the job runs' : 'Not healthy: see the parts in red';
    verdict.className = 'verdict ' + (status.healthy ? 'healthy' : 'unhealthy');
    document.getElementById('taken').textContent = 'as of ' + new Date(status.pipeline.takenAtMillis).toLocaleTimeString();
    document.getElementById('chain').replaceChildren(...chain(status));
    document.querySelector('#components tbody').replaceChildren(...status.components.map((c) =>
      element('tr', { class: c.healthy ? 'healthy' : 'unhealthy' }, element('td', {}, c.component), element('td', {}, c.state), element('td', {}, c.detail))));
  } catch (error) {
    const verdict = document.getElementById('verdict');
    verdict.textContent = 'The status service does not answer: ' + error;
    verdict.className = 'verdict unhealthy';
  }
}

refresh();
setInterval(refresh, 5000);
