// Vibecraft Pipeline web page: upload, song list, section timeline with a section player, clips.
// Plain ES module, no build step; everything it shows comes from /api/v1.

const API = '/api/v1';
const POLL_MS = 1500;
const TOKEN_KEY = 'vibecraft.apiToken';
const WAVEFORM_MAX_BYTES = 40 * 1024 * 1024;

const $ = (selector) => document.querySelector(selector);

const state = {
  songs: new Map(),      // id -> song, from the list
  selectedId: null,
  song: null,
  analysis: null,
  analysisKey: null,     // analyzedAt of the analysis on screen
  clipKey: null,         // what the clip grid shows, to skip identical redraws
  waveformFor: null,
  playing: null,         // the section being played
};

// ------------------------------------------------------------------ helpers

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function describe(err) {
  return err.status ? `${err.status} — ${err.message}` : err.message;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

function clock(sec) {
  if (sec === null || sec === undefined || Number.isNaN(sec)) return '–';
  const m = Math.floor(sec / 60);
  const s = sec - m * 60;
  return `${m}:${s.toFixed(1).padStart(4, '0')}`;
}

function token() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

function authHeaders() {
  const t = token();
  return t ? { Authorization: `Bearer ${t}` } : {};
}

async function api(method, path) {
  let res;
  let text;
  try {
    res = await fetch(API + path, { method, headers: { Accept: 'application/json', ...authHeaders() } });
    text = await res.text();
  } catch (e) {
    throw new Error('The service cannot be reached.');
  }
  let body = null;
  if (text) {
    try { body = JSON.parse(text); } catch { body = null; }
  }
  if (!res.ok) {
    throw new ApiError(res.status, body && body.detail ? body.detail : res.statusText || 'request failed');
  }
  return body;
}

function say(selector, message, kind = 'error') {
  const node = $(selector);
  node.textContent = message || '';
  node.dataset.kind = kind;
}

// ------------------------------------------------------------------ token

function setupToken() {
  const input = $('#token');
  const stateText = () => { $('#token-state').textContent = token() ? 'A token is set for this tab.' : ''; };
  input.value = token();
  stateText();
  $('#token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const value = input.value.trim();
    if (value) sessionStorage.setItem(TOKEN_KEY, value); else sessionStorage.removeItem(TOKEN_KEY);
    stateText();
  });
  $('#token-clear').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    input.value = '';
    stateText();
  });
}

// ------------------------------------------------------------------ upload

function setupUpload() {
  const zone = $('#drop-zone');
  const input = $('#file-input');
  input.addEventListener('change', () => {
    if (input.files.length) upload(input.files[0]);
    input.value = '';
  });
  for (const type of ['dragenter', 'dragover']) {
    zone.addEventListener(type, (e) => { e.preventDefault(); zone.classList.add('dragging'); });
  }
  for (const type of ['dragleave', 'drop']) {
    zone.addEventListener(type, () => zone.classList.remove('dragging'));
  }
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    const files = e.dataTransfer.files;
    if (files.length !== 1) {
      say('#upload-message', 'Drop one file at a time.');
      return;
    }
    upload(files[0]);
  });
}

function upload(file) {
  const form = new FormData();
  form.append('file', file, file.name);
  const title = $('#title-input').value.trim();
  if (title) form.append('title', title);

  const box = $('#upload-status');
  const bar = $('#upload-progress');
  box.hidden = false;
  bar.value = 0;
  $('#upload-label').textContent = `Uploading ${file.name}`;
  say('#upload-message', '', 'info');

  const xhr = new XMLHttpRequest();
  xhr.open('POST', `${API}/songs`);
  xhr.setRequestHeader('Accept', 'application/json');
  for (const [k, v] of Object.entries(authHeaders())) xhr.setRequestHeader(k, v);
  xhr.upload.addEventListener('progress', (e) => {
    if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
  });
  xhr.addEventListener('load', () => {
    box.hidden = true;
    let body = null;
    try { body = JSON.parse(xhr.responseText); } catch { body = null; }
    if (xhr.status === 201 || xhr.status === 200) {
      const again = xhr.status === 200 ? ' (this file was uploaded before)' : '';
      say('#upload-message', `Uploaded “${body.title}”${again}.`, 'info');
      $('#title-input').value = '';
      refreshSongs().then(() => select(body.id));
    } else {
      const detail = body && body.detail ? body.detail : xhr.statusText;
      say('#upload-message', `Upload refused: ${xhr.status} — ${detail}`);
    }
  });
  xhr.addEventListener('error', () => {
    box.hidden = true;
    // the service cuts an oversized upload off while it streams; the browser then sees no answer
    say('#upload-message', 'The upload failed before the service answered: the file may be larger than the '
      + 'service accepts, or the service cannot be reached.');
  });
  xhr.send(form);
}

// ------------------------------------------------------------------ song list

async function refreshSongs() {
  try {
    const list = await api('GET', '/songs?limit=100');
    say('#songs-message', '');
    const songs = Array.isArray(list) ? list : (list.songs || list.items || []);
    renderSongs(songs);
  } catch (e) {
    say('#songs-message', `Could not load the songs: ${describe(e)}`);
  }
}

function renderSongs(songs) {
  const body = $('#songs tbody');
  $('#songs-empty').hidden = songs.length > 0;
  const rows = new Map([...body.rows].map((r) => [r.dataset.id, r]));
  songs.forEach((song, i) => {
    state.songs.set(song.id, song);
    let row = rows.get(song.id);
    if (!row) {
      row = el('tr', { 'data-id': song.id },
        el('td', {}, el('button', { type: 'button', class: 'link', onclick: () => select(song.id) })),
        el('td', { class: 'status' }), el('td', {}, el('progress', { max: '100' })), el('td'), el('td'));
    }
    const [titleCell, statusCell, progressCell, lengthCell, clipsCell] = row.cells;
    const button = titleCell.firstChild;
    button.textContent = song.title || song.originalFilename;
    button.setAttribute('aria-current', song.id === state.selectedId ? 'true' : 'false');
    statusCell.textContent = song.status;
    statusCell.dataset.status = song.status;
    const bar = progressCell.firstChild;
    bar.value = song.progress;
    bar.setAttribute('aria-label', `${song.title}: ${song.progress} %`);
    lengthCell.textContent = clock(song.durationSec);
    const clips = song.clips;
    clipsCell.textContent = clips && clips.total
      ? `${clips.completed}/${clips.total} done${clips.failed ? `, ${clips.failed} failed` : ''}` : '–';
    if (body.rows[i] !== row) body.insertBefore(row, body.rows[i] || null);
    rows.delete(song.id);
  });
  for (const stale of rows.values()) stale.remove();
}

// ------------------------------------------------------------------ song view

async function select(id) {
  if (state.selectedId !== id) {
    stopSection();
    state.selectedId = id;
    state.song = null;
    state.analysis = null;
    state.analysisKey = null;
    state.clipKey = null;
    state.waveformFor = null;
    $('#timeline').replaceChildren();
    renderDescription(null);
    $('#clips').replaceChildren();
    $('#clip-summary').textContent = '';
    resetVideo();
    say('#song-message', '');
    const audio = $('#section-audio');
    audio.removeAttribute('src');
    delete audio.dataset.song;
  }
  for (const row of $('#songs tbody').rows) {
    row.cells[0].firstChild.setAttribute('aria-current', row.dataset.id === id ? 'true' : 'false');
  }
  const view = $('#song-view');
  view.hidden = false;
  await refreshSong();
  view.focus();
}

async function refreshSong() {
  const id = state.selectedId;
  if (!id) return;
  let song;
  try {
    song = await api('GET', `/songs/${id}`);
  } catch (e) {
    say('#song-message', `Could not load the song: ${describe(e)}`);
    return;
  }
  if (id !== state.selectedId) return;
  state.song = song;
  $('#song-title').textContent = song.title || song.originalFilename;
  const status = $('#song-status');
  status.textContent = song.status === 'analyzing' ? `analyzing (${song.progress} %)` : song.status;
  status.dataset.status = song.status;
  $('#song-bpm').textContent = song.bpm ? song.bpm.toFixed(1) : '–';
  $('#song-duration').textContent = clock(song.durationSec);
  $('#song-source').textContent = sourceText(song);
  if (song.status === 'failed' && song.error) say('#song-message', `Analysis failed: ${song.error}`);

  // a failed re-analysis keeps the previous analysis: it is still shown
  const hasAnalysis = song.analyzedAt && (song.status === 'analyzed' || song.status === 'failed');
  if (hasAnalysis && state.analysisKey !== song.analyzedAt) {
    try {
      const analysis = await api('GET', `/songs/${id}/analysis`);
      if (id !== state.selectedId) return;
      state.analysis = analysis;
      state.analysisKey = song.analyzedAt;
      renderDescription(analysis);
      renderTimeline(analysis);
      drawWaveform(song, analysis);
    } catch (e) {
      say('#song-message', `Could not load the analysis: ${describe(e)}`);
    }
  }
  await refreshVideo(id);
  if (song.clips && song.clips.total > 0) {
    await refreshClips(id);
  } else {
    $('#clip-summary').textContent = song.status === 'analyzed' ? 'No clips planned.' : 'Clips are planned after the analysis.';
    $('#clips').replaceChildren();
    state.clipKey = null;
  }
}

function sourceText(song) {
  if (!song.analysisSource) return '–';
  if (song.analysisSource === 'audjust') return 'Audjust';
  return song.fallbackReason ? `local detector (fallback: ${song.fallbackReason})` : 'local detector';
}

const TYPES = ['intro', 'verse', 'chorus', 'bridge', 'outro', 'other'];

/** Key, mood and genre of the song (an analysis stored before they were computed has none). */
function renderDescription(analysis) {
  const key = analysis && analysis.key;
  $('#song-key').textContent = key ? `${key.name} (confidence ${key.confidence.toFixed(2)})` : '–';
  const mood = analysis && analysis.mood;
  $('#song-mood').textContent = mood
    ? `${mood.tags.join(', ')} — energy ${mood.energy.toFixed(2)}, valence ${mood.valence.toFixed(2)}, `
      + `danceability ${mood.danceability.toFixed(2)}, tension ${mood.tension.toFixed(2)}` : '–';
  const genre = analysis && analysis.genre;
  $('#song-genre').textContent = genre
    ? [`${genre.primary} (${Math.round(genre.confidence * 100)} %)`,
      ...genre.secondary.map((g) => `${g.name} (${Math.round(g.confidence * 100)} %)`)].join(', ') : '–';
}

/** A section's key, energy level and mood tags, as one short line. */
function sectionMeta(s) {
  const parts = [];
  if (s.key) parts.push(s.key);
  if (s.moodTags && s.moodTags.length) parts.push(s.moodTags.join(', '));
  if (typeof s.energyLevel === 'number') parts.push(`energy ${s.energyLevel.toFixed(2)}`);
  return parts.join(' · ');
}

/** The sections as buttons sized by their length: `action` names what a click does, `choose` does it. */
function sectionButtons(analysis, action, choose, stateAttribute) {
  const total = analysis.durationSec || 1;
  return analysis.sections.map((s) => {
    const type = TYPES.includes(s.type) ? s.type : 'other';
    const meta = sectionMeta(s);
    const label = `${s.displayName}, ${clock(s.startSec)} to ${clock(s.endSec)}${meta ? `: ${meta}` : ''}`;
    return el('button', {
      type: 'button',
      class: `section type-${type}`,
      style: `width: ${((s.endSec - s.startSec) / total) * 100}%`,
      'data-section': s.id,
      'data-start': String(s.startSec),
      'data-end': String(s.endSec),
      title: label,
      'aria-label': `${action} ${label}`,
      [stateAttribute]: 'false',
      onclick: () => choose(s),
    }, el('span', { text: s.displayName }), el('span', { class: 'section-meta', text: meta }));
  });
}

function renderTimeline(analysis) {
  $('#timeline').replaceChildren(...sectionButtons(analysis, 'Play', playSection, 'aria-pressed'));
}

async function drawWaveform(song, analysis) {
  const canvas = $('#waveform');
  const width = canvas.clientWidth || 800;
  canvas.width = width;
  const ctx = canvas.getContext('2d');
  ctx.clearRect(0, 0, width, canvas.height);
  const levels = await waveformLevels(song, width).catch(() => null);
  if (state.selectedId !== song.id) return;
  ctx.fillStyle = '#3b4a6b';
  const h = canvas.height;
  if (levels) {
    state.waveformFor = song.id;
    canvas.setAttribute('aria-label', 'Loudness of the song over time');
    levels.forEach((v, x) => {
      const bar = Math.max(1, v * (h - 4));
      ctx.fillRect(x, (h - bar) / 2, 1, bar);
    });
    return;
  }
  // no decodable audio in this browser: the sections' energies stand in
  canvas.setAttribute('aria-label', 'Energy of each section');
  const total = analysis.durationSec || 1;
  for (const s of analysis.sections) {
    const x0 = (s.startSec / total) * width;
    const x1 = (s.endSec / total) * width;
    const bar = Math.max(2, (s.energy || 0) * (h - 4));
    ctx.fillRect(x0, h - bar, Math.max(1, x1 - x0 - 1), bar);
  }
}

async function waveformLevels(song, width) {
  if (song.sizeBytes > WAVEFORM_MAX_BYTES || typeof OfflineAudioContext === 'undefined') return null;
  const res = await fetch(`${API}/songs/${song.id}/audio`, { headers: authHeaders() });
  if (!res.ok) return null;
  const bytes = await res.arrayBuffer();
  const decoded = await new OfflineAudioContext(1, 1, 22050).decodeAudioData(bytes);
  const data = decoded.getChannelData(0);
  const per = Math.max(1, Math.floor(data.length / width));
  const levels = new Float32Array(width);
  let max = 1e-9;
  for (let x = 0; x < width; x++) {
    let sum = 0;
    const from = x * per;
    const to = Math.min(data.length, from + per);
    for (let i = from; i < to; i++) sum += data[i] * data[i];
    levels[x] = Math.sqrt(sum / Math.max(1, to - from));
    max = Math.max(max, levels[x]);
  }
  return levels.map((v) => v / max);
}

// ------------------------------------------------------------------ section player

// One audio element for the page, so only one section ever plays.
const audio = () => $('#section-audio');
let watcher = 0;

async function playSection(section) {
  const player = audio();
  const id = state.selectedId;
  stopSection();
  if (player.dataset.song !== id) {
    player.preload = 'metadata';
    player.src = `${API}/songs/${id}/audio`;
    player.dataset.song = id;
  }
  state.playing = section;
  markPlaying(section.id);
  try {
    if (player.readyState < 1) {
      await new Promise((resolve, reject) => {
        player.addEventListener('loadedmetadata', resolve, { once: true });
        player.addEventListener('error', () => reject(new Error('the audio cannot be played here')), { once: true });
      });
    }
    if (state.playing !== section) return;
    player.currentTime = section.startSec;
    await player.play();
  } catch (e) {
    state.playing = null;
    markPlaying(null);
    $('#player-state').textContent = `Cannot play: ${e.message}`;
    return;
  }
  $('#player-stop').disabled = false;
  watch();
}

// The end is checked on every frame, not only on timeupdate (4 per second), so playback stops
// within a frame of the section's end.
function watch() {
  cancelAnimationFrame(watcher);
  const tick = () => {
    const section = state.playing;
    if (!section) return;
    const player = audio();
    if (player.currentTime >= section.endSec || player.ended) {
      stopSection(true);
      return;
    }
    $('#player-state').textContent =
      `Playing ${section.displayName}: ${clock(player.currentTime)} (${clock(section.startSec)}–${clock(section.endSec)})`;
    watcher = requestAnimationFrame(tick);
  };
  watcher = requestAnimationFrame(tick);
}

function stopSection(reachedEnd = false) {
  cancelAnimationFrame(watcher);
  const player = audio();
  const section = state.playing;
  player.pause();
  if (section) {
    // back to the section's start, so the position never shows a point outside the section
    player.currentTime = section.startSec;
    $('#player-state').textContent = reachedEnd
      ? `${section.displayName} played to its end (${clock(section.endSec)}).`
      : `Stopped ${section.displayName}.`;
  }
  state.playing = null;
  markPlaying(null);
  $('#player-stop').disabled = true;
}

function markPlaying(sectionId) {
  for (const b of $('#timeline').children) {
    const on = b.dataset.section === sectionId;
    b.classList.toggle('playing', on);
    b.setAttribute('aria-pressed', on ? 'true' : 'false');
  }
}

function setupPlayer() {
  $('#player-stop').addEventListener('click', () => stopSection());
  audio().addEventListener('timeupdate', () => {
    const section = state.playing;
    if (section && audio().currentTime >= section.endSec) stopSection(true);
  });
}

// ------------------------------------------------------------------ clips

async function refreshClips(id) {
  let summary;
  try {
    summary = await api('GET', `/songs/${id}/clips/status`);
  } catch (e) {
    if (e.status === 404) return;
    say('#song-message', `Could not load the clips: ${describe(e)}`);
    return;
  }
  if (id !== state.selectedId) return;
  $('#clip-summary').textContent = `${summary.totalClips} clips: ${summary.completedClips} completed, `
    + `${summary.processingClips} processing, ${summary.queuedClips} queued, ${summary.failedClips} failed — `
    + `${summary.progressCompleted.toFixed(1)} of ${summary.progressTotal.toFixed(1)} s of video done.`;
  const key = JSON.stringify(summary.clips.map((c) => [c.id, c.status, c.updatedAt]));
  if (key === state.clipKey) return;
  state.clipKey = key;
  renderClips(summary.clips);
}

function renderClips(clips) {
  const container = $('#clips');
  const cards = new Map([...container.querySelectorAll('.clip')].map((c) => [c.dataset.clip, c]));
  const groups = [];
  for (const clip of clips) {
    let group = groups[groups.length - 1];
    if (!group || group.sectionId !== clip.sectionId) {
      group = { sectionId: clip.sectionId, name: clip.sectionDisplayName, type: clip.sectionType, clips: [] };
      groups.push(group);
    }
    group.clips.push(clip);
  }
  const blocks = groups.map((g) => {
    const type = TYPES.includes(g.type) ? g.type : 'other';
    const grid = el('div', { class: 'clip-grid' });
    for (const clip of g.clips) {
      grid.append(clipCard(clip, cards.get(clip.id)));
    }
    return el('section', { class: `clip-section type-${type}`, 'aria-label': `Clips of ${g.name}` },
      el('h4', { text: `${g.name} (${g.clips.length})` }), grid);
  });
  container.replaceChildren(...blocks);
}

function clipCard(clip, previous) {
  // a completed card keeps its video element, so a preview that plays is not restarted
  if (previous && previous.dataset.status === clip.status && previous.dataset.updated === clip.updatedAt) {
    return previous;
  }
  const card = el('article', {
    class: 'clip', 'data-clip': clip.id, 'data-status': clip.status, 'data-updated': clip.updatedAt,
    'aria-label': `Clip ${clip.clipIndex + 1} of ${clip.sectionDisplayName}, ${clip.status}`,
  });
  card.append(
    el('header', {},
      el('span', { class: `badge status-${clip.status}`, text: clip.status }),
      el('span', { class: 'muted', text: ` ${clip.durationSec.toFixed(2)} s · ${clock(clip.startSec)}–${clock(clip.endSec)}` })),
  );
  if (clip.status === 'completed' && clip.videoUrl) {
    card.append(el('video', {
      src: clip.videoUrl, controls: true, muted: true, preload: 'metadata', playsinline: true,
      'aria-label': `Generated clip ${clip.clipIndex + 1}`,
    }));
  }
  card.append(el('p', { class: 'prompt', text: clip.prompt }));
  if (clip.status === 'failed' && clip.error) {
    card.append(el('p', { class: 'clip-error', text: `Error: ${clip.error}` }));
  }
  if (clip.attempts > 1) card.append(el('p', { class: 'muted', text: `attempt ${clip.attempts} of ${clip.maxAttempts}` }));
  const message = el('p', { class: 'message', role: 'status' });
  card.append(el('button', {
    type: 'button', class: 'retry', 'aria-label': `Retry clip ${clip.clipIndex + 1} of ${clip.sectionDisplayName}`,
    onclick: () => retryClip(clip, message),
  }, 'Retry'), message);
  return card;
}

async function retryClip(clip, message) {
  message.textContent = 'Asking for a retry…';
  message.dataset.kind = 'info';
  try {
    await api('POST', `/songs/${clip.songId}/clips/${clip.id}/retry`);
    message.textContent = 'Queued again.';
    state.clipKey = null;
    await refreshClips(clip.songId);
  } catch (e) {
    message.textContent = `Retry refused: ${describe(e)}`;
    message.dataset.kind = 'error';
  }
}

// ------------------------------------------------------------------ music video

const VIDEO_TEXT = {
  none: 'No video yet: it is composed from the clips once they are planned and generated.',
  waiting: 'Waiting for the clips: the video is composed when every clip is completed.',
  composing: 'Composing the video',
  composed: 'The video is composed.',
  stale: 'A clip changed since this video was composed; it is recomposed when every clip is completed again.',
  failed: 'The last composition failed',
};

function resetVideo() {
  const video = $('#song-video');
  video.pause();
  video.removeAttribute('src');
  video.hidden = true;
  delete video.dataset.key;
  $('#video-timeline').replaceChildren();
  $('#video-timeline').hidden = true;
  $('#video-state').textContent = '';
  $('#video-progress').hidden = true;
  $('#video-download').hidden = true;
  state.videoSectionsFor = null;
}

async function refreshVideo(id) {
  let v;
  try {
    v = await api('GET', `/songs/${id}/video/status`);
  } catch (e) {
    if (e.status !== 404) $('#video-state').textContent = `Could not load the video status: ${describe(e)}`;
    return;
  }
  if (id !== state.selectedId) return;
  const node = $('#video-state');
  node.dataset.status = v.status;
  let text = VIDEO_TEXT[v.status] || v.status;
  if (v.status === 'composing') text += ` (${v.progress} %)…`;
  if (v.status === 'failed') text += `: ${v.error}`;
  if (v.sizeBytes != null) {
    text += ` ${v.width}×${v.height}, ${v.fps} fps, ${clock(v.durationSec)}, ${(v.sizeBytes / 1048576).toFixed(1)} MB.`;
  }
  node.textContent = text;
  const bar = $('#video-progress');
  bar.hidden = v.status !== 'composing';
  bar.value = v.progress;
  $('#compose-video').textContent = v.sizeBytes != null ? 'Compose video again' : 'Compose video';

  const video = $('#song-video');
  const download = $('#video-download');
  if (v.sizeBytes == null) {
    if (!video.hidden) resetVideo();
    node.textContent = text;
    return;
  }
  // a recomposed video has a new composedAt: the player loads the new file
  const key = `${id}@${v.composedAt}`;
  if (video.dataset.key !== key) {
    video.dataset.key = key;
    const url = `${API}/songs/${id}/video?v=${encodeURIComponent(v.composedAt || '')}`;
    video.src = url;
    download.href = url;
    const name = (state.song && (state.song.title || state.song.originalFilename)) || 'music-video';
    download.setAttribute('download', `${name.replace(/\.[^.]+$/, '')}.mp4`);
  }
  video.hidden = false;
  download.hidden = false;
  if (state.analysis && state.videoSectionsFor !== state.analysisKey) renderVideoTimeline(state.analysis);
}

function renderVideoTimeline(analysis) {
  state.videoSectionsFor = state.analysisKey;
  const timeline = $('#video-timeline');
  timeline.replaceChildren(...sectionButtons(analysis, 'Jump the video to', (s) => {
    $('#song-video').currentTime = s.startSec;
    markVideoSection(s.startSec);
  }, 'aria-current'));
  timeline.hidden = false;
  markVideoSection($('#song-video').currentTime || 0);
}

/** Highlights the section the video is in: the timeline follows playback. */
function markVideoSection(t) {
  const blocks = [...$('#video-timeline').children];
  blocks.forEach((b, i) => {
    const last = i === blocks.length - 1;
    const on = t >= Number(b.dataset.start) && (t < Number(b.dataset.end) || last);
    b.classList.toggle('current', on);
    b.setAttribute('aria-current', on ? 'true' : 'false');
  });
}

function setupVideo() {
  const video = $('#song-video');
  video.addEventListener('timeupdate', () => markVideoSection(video.currentTime));
  video.addEventListener('seeked', () => markVideoSection(video.currentTime));
  $('#compose-video').addEventListener('click', async () => {
    try {
      await api('POST', `/songs/${state.selectedId}/video`);
      say('#song-message', 'The video will be composed.', 'info');
      await refreshVideo(state.selectedId);
    } catch (e) {
      say('#song-message', `Could not compose the video: ${describe(e)}`);
    }
  });
}

// ------------------------------------------------------------------ song actions

function setupActions() {
  $('#reanalyze').addEventListener('click', async () => {
    try {
      await api('POST', `/songs/${state.selectedId}/analyze`);
      say('#song-message', 'Analysis started again.', 'info');
      state.analysisKey = null;
    } catch (e) {
      say('#song-message', `Could not start the analysis: ${describe(e)}`);
    }
  });
  $('#replan').addEventListener('click', async () => {
    try {
      await api('POST', `/songs/${state.selectedId}/clips`);
      say('#song-message', 'Clips planned and queued again.', 'info');
      state.clipKey = null;
    } catch (e) {
      say('#song-message', `Could not plan the clips: ${describe(e)}`);
    }
  });
}

// ------------------------------------------------------------------ start

async function poll() {
  // one refresh that throws must not end the polling: the next one is always scheduled
  try {
    await refreshSongs();
    await refreshSong();
  } catch (e) {
    say('#song-message', `Could not refresh the page: ${describe(e)}`);
  } finally {
    setTimeout(poll, POLL_MS);
  }
}

setupToken();
setupUpload();
setupPlayer();
setupActions();
setupVideo();
poll();
