// The status page: /api/status drawn as the pipeline's chain, the last hour of commit → written, and the table of make status, every 5 s. No library, no network beyond this server.
'use strict';

const number = (n) => (n === null || n === undefined ? '–' : Number(n).toLocaleString('en-US'));

function element(tag, attributes, ...children) {
  const node = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([key, value]) => node.setAttribute(key, value));
  children.flat().forEach((child) => node.append(child));
  return node;
}

function stage(id, title, healthy, state, facts, more) {
  return element('div', { id, class: 'stage ' + (healthy ? 'healthy' : 'unhealthy') },
    element('h3', {}, title),
    element('div', { class: 'state' }, state),
    element('ul', {}, facts.map((fact) => element('li', {}, fact))),
    more || []);
}

// The job's operators (Flink's vertices) and what each does now (PipelineSnapshot.Operator.phase): restoring its state, starting, running.
function operators(job) {
  if (!job || !job.operators || job.operators.length === 0) {
    return [];
  }
  return element('ul', { class: 'operators', id: 'operators' }, job.operators.map((op) =>
    element('li', { class: op.restoring > 0 ? 'restoring' : '' }, `${op.name}: ${op.phase}`)));
}

// A finished snapshot, from Debezium's own metrics; the connector's line (StatusTable) says the running snapshot's progress or streaming.
function debeziumFacts(connectPart) {
  const d = connectPart.debezium;
  return d && !d.snapshotRunning && d.snapshotCompleted ? [`snapshot done: ${number(d.rowsScanned)} rows read`] : [];
}

// The last hour of commit → written as a line; gaps where the job reported nothing.
function chart(history, now) {
  const svg = document.getElementById('freshness');
  const width = 720, height = 180, left = 44, bottom = 24, top = 10;
  const hour = 3600 * 1000;
  const points = (history || []).filter((p) => p.commitToWrittenMillis !== null && p.commitToWrittenMillis !== undefined);
  const peak = Math.max(1000, ...points.map((p) => p.commitToWrittenMillis));
  const x = (at) => left + (width - left - 8) * (1 - (now - at) / hour);
  const y = (ms) => top + (height - top - bottom) * (1 - ms / peak);
  const ns = 'http://www.w3.org/2000/svg';
  const make = (tag, attributes, text) => {
    const node = document.createElementNS(ns, tag);
    Object.entries(attributes).forEach(([k, v]) => node.setAttribute(k, v));
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const children = [
    make('line', { class: 'axis', x1: left, y1: height - bottom, x2: width - 8, y2: height - bottom }),
    make('line', { class: 'axis', x1: left, y1: top, x2: left, y2: height - bottom }),
    make('text', { x: left - 4, y: top + 10, 'text-anchor': 'end' }, (peak / 1000).toFixed(1) + ' s'),
    make('text', { x: left - 4, y: height - bottom, 'text-anchor': 'end' }, '0 s'),
    make('text', { x: left, y: height - 6 }, '60 min ago'),
    make('text', { x: width - 8, y: height - 6, 'text-anchor': 'end' }, 'now'),
  ];
  if (points.length > 0) {
    children.push(make('polyline', { class: 'line', id: 'freshness-line',
      points: points.map((p) => `${x(p.atMillis).toFixed(1)},${y(p.commitToWrittenMillis).toFixed(1)}`).join(' ') }));
    const latest = points[points.length - 1];
    children.push(make('text', { id: 'freshness-latest', x: width - 8, y: top + 10, 'text-anchor': 'end' },
      `latest ${(latest.commitToWrittenMillis / 1000).toFixed(1)} s · highest ${(peak / 1000).toFixed(1)} s`));
  } else {
    children.push(make('text', { id: 'freshness-latest', x: (width + left) / 2, y: height / 2, 'text-anchor': 'middle' }, 'no document written yet'));
  }
  svg.replaceChildren(...children);
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
  // A TaskManager missing is red on the job's stage: the job lost the slots it may need to run (or restart) at its parallelism.
  const flink = row(c, 'flink');
  const taskManagers = [`${p.flink.taskManagers} of ${p.flink.taskManagersExpected} TaskManagers`];
  const checkpoint = p.flink.job && p.flink.job.lastCheckpoint
    ? [`last checkpoint #${p.flink.job.lastCheckpoint.id}, ${Math.round((p.takenAtMillis - p.flink.job.lastCheckpoint.completedAtMillis) / 1000)} s ago`]
    : ['no checkpoint yet'];
  // Restoring state, starting, reading the snapshot (documents held), writing the snapshot's documents, streaming (PipelineSnapshot.Job.phase).
  const tasks = p.flink.job ? [element('span', { id: 'job-phase' }, p.flink.job.phase), `${p.flink.job.tasksRunning} of ${p.flink.job.tasksTotal} tasks running`] : [];
  const figures = p.flink.job && p.flink.job.figures;
  const written = figures ? [
    `${number(figures.documentsWritten)} documents written since the job (re)started`,
    `${number(figures.deadLetters || 0)} dead letters`,
    `commit → written: ${figures.commitToWrittenMillis === null ? '–' : (figures.commitToWrittenMillis / 1000).toFixed(1) + ' s'}`,
  ] : [];
  const openSearch = row(c, 'opensearch');
  const indexes = Object.entries(p.indexTables).map(([index, table]) => {
    const documents = (p.openSearch.documents || {})[index];
    // Fewer than the table's rows when the spec filters the index or soft-deletes rows (PipelineSnapshot.Postgres.expected).
    const expected = (p.postgres.expectedDocuments || {})[index];
    const rows = expected !== undefined ? expected : (p.postgres.tableRows || {})[table];
    return `${index}: ${number(documents)} documents / ${number(rows)} rows`;
  });
  const arrow = () => element('div', { class: 'arrow', 'aria-hidden': 'true' }, '→');
  return [
    stage('stage-postgres', 'PostgreSQL', postgres.healthy && slot.healthy, postgres.healthy ? slot.state : postgres.state, tables.concat(slotFacts)),
    arrow(),
    stage('stage-debezium', 'Debezium (Kafka Connect)', connect.healthy, connect.state,
      [connect.detail].concat(debeziumFacts(p.connect))),
    arrow(),
    stage('stage-kafka', 'Kafka', kafka.healthy, kafka.state, [`job's lag: ${lag.state} records`]),
    arrow(),
    stage('stage-job', 'Flink job', job.healthy && flink.healthy, job.state, tasks.concat(written, checkpoint, taskManagers), operators(p.flink.job)),
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
    chart(status.history, status.pipeline.takenAtMillis);
    document.querySelector('#components tbody').replaceChildren(...status.components.map((c) =>
      element('tr', { class: c.healthy ? 'healthy' : 'unhealthy' }, element('td', {}, c.component), element('td', {}, c.state), element('td', {}, c.detail))));
  } catch (error) {
    const verdict = document.getElementById('verdict');
    verdict.textContent = 'The status service does not answer: ' + error;
    verdict.className = 'verdict unhealthy';
  }
}

// Every 5 s, or every ?refresh=N seconds (at least 1).
const every = Math.max(1, Number(new URLSearchParams(location.search).get('refresh')) || 5);
document.getElementById('every').textContent = `${every} s`;
refresh();
setInterval(refresh, every * 1000);
