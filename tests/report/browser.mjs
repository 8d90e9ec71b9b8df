// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// Renders audit reports in headless Chromium through the DevTools
// protocol (on a pipe: no npm package but axe-core) and checks each, at a
// desktop width and a phone width of 390 px:
//  - nothing is wider than the viewport or cut off by its box: every
//    element's box lies inside the page's width, and no element with
//    content wider than itself hides or scrolls it;
//  - the verdict (the h1) is whole on the first screen;
//  - the page asks for nothing but itself: every request the browser
//    makes for it is the report's own file URL;
//  - axe-core, run in the page, finds no serious or critical violation.
// Screenshots of the pages named in --shots are written as PNG.
//
//   node browser.mjs CHROMIUM AXE_JS OUTDIR
//        [--shots NAME,NAME] NAME=REPORT.html...
// Prints PASS:/FAIL: lines; exits 1 when any check fails.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [chromium, axePath, outDir, ...rest] = process.argv.slice(2);
let shots = [];
const pages = [];
for (let i = 0; i < rest.length; i++) {
	if (rest[i] === '--shots')
		shots = rest[++i].split(',');
	else
		pages.push(rest[i].split('='));
}

const viewports = [
	{ name: 'desktop', width: 1280, height: 800, scale: 1, mobile: false },
	{ name: 'phone', width: 390, height: 844, scale: 1, mobile: true },
];
let failed = 0;
const pass = (what) => console.log(`PASS: ${what}`);
const fail = (what, why) => {
	failed++;
	console.log(`FAIL: ${what}`);
	for (const line of [].concat(why || []))
		console.log(`    ${line}`);
};

// Everything run inside the page: what is too wide, and where the verdict is.
const measure = `(() => {
	const vw = document.documentElement.clientWidth;
	const name = (el) => el.tagName.toLowerCase() +
		(el.id ? '#' + el.id : '') +
		(el.className && typeof el.className === 'string' ?
		 '.' + el.className.split(' ').join('.') : '') +
		' "' + (el.textContent || '').trim().slice(0, 40) + '"';
	const bad = [];
	if (document.documentElement.scrollWidth > vw + 1)
		bad.push('the page is ' + document.documentElement.scrollWidth +
			 ' px wide in a ' + vw + ' px viewport');
	for (const el of document.body.querySelectorAll('*')) {
		const r = el.getBoundingClientRect();
		if (!r.width && !r.height)
			continue;
		if (r.left < -1 || r.right > vw + 1)
			bad.push(name(el) + ' spans ' + Math.round(r.left) +
				 '..' + Math.round(r.right) + ' px');
		else if (el.clientWidth && el.scrollWidth > el.clientWidth + 1 &&
			 !(el instanceof SVGElement))
			bad.push(name(el) + ' holds ' + el.scrollWidth +
				 ' px of content in ' + el.clientWidth + ' px');
	}
	const h1 = document.querySelector('h1');
	const v = h1 ? h1.getBoundingClientRect() : null;
	return JSON.stringify({
		bad: bad.slice(0, 8), nbad: bad.length,
		verdict: h1 ? h1.textContent.trim() : '',
		verdictOnFirstScreen: !!v && v.top >= 0 &&
			v.bottom <= window.innerHeight,
		height: Math.ceil(document.documentElement.scrollHeight),
	});
})()`;

const axeRun = `axe.run(document, { resultTypes: ['violations'] }).then(
	(r) => JSON.stringify(r.violations.map((v) => ({
		id: v.id, impact: v.impact, help: v.help,
		nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
	}))))`;

// Chromium with the DevTools protocol on a pipe: JSON messages ended by
// a NUL byte, commands written to its fd 3, answers and events read from
// its fd 4 (no WebSocket, so Debian's own Node will do).
function launch() {
	const profile = mkdtempSync(join(tmpdir(), 'rbi-chromium-'));
	const proc = spawn(chromium, [
		'--headless=new', '--no-sandbox', '--disable-gpu',
		'--no-first-run', '--no-default-browser-check',
		'--disable-background-networking', '--disable-component-update',
		'--disable-sync', '--disable-extensions', '--hide-scrollbars',
		'--remote-debugging-pipe', `--user-data-dir=${profile}`,
		'about:blank',
	], { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });
	return { proc, profile };
}

// One protocol connection: commands by id, events by name and session.
function connect(proc) {
	const [tx, rx] = [proc.stdio[3], proc.stdio[4]];
	let next = 1, pending = '';
	const waiting = new Map();
	const listeners = [];
	const dispatch = (msg) => {
		if (msg.id && waiting.has(msg.id)) {
			const { ok, no, method } = waiting.get(msg.id);
			waiting.delete(msg.id);
			if (msg.error)
				no(new Error(`${method}: ${msg.error.message}`));
			else
				ok(msg.result);
		} else if (msg.method) {
			for (const l of listeners.slice())
				l(msg);
		}
	};
	rx.setEncoding('utf8');
	rx.on('data', (chunk) => {
		const parts = (pending + chunk).split('\0');
		pending = parts.pop();
		for (const p of parts)
			dispatch(JSON.parse(p));
	});
	const send = (method, params = {}, sessionId) =>
		new Promise((ok, no) => {
			const id = next++;
			waiting.set(id, { ok, no, method });
			tx.write(JSON.stringify({ id, method, params, sessionId }) +
				 '\0');
			setTimeout(() => {
				if (waiting.delete(id))
					no(new Error(`${method}: no answer in 60 s`));
			}, 60000).unref();
		});
	const once = (method, sessionId) => new Promise((ok) => {
		const l = (msg) => {
			if (msg.method === method && msg.sessionId === sessionId) {
				listeners.splice(listeners.indexOf(l), 1);
				ok(msg.params);
			}
		};
		listeners.push(l);
	});
	return { send, once, listeners };
}

async function check(cdp, name, file, axe) {
	const url = pathToFileURL(resolve(file)).href;
	const { targetId } = await cdp.send('Target.createTarget',
					    { url: 'about:blank' });
	const { sessionId: s } = await cdp.send('Target.attachToTarget',
						{ targetId, flatten: true });
	const requests = [];
	cdp.listeners.push((msg) => {
		if (msg.sessionId === s &&
		    msg.method === 'Network.requestWillBeSent')
			requests.push(msg.params.request.url);
	});
	await cdp.send('Page.enable', {}, s);
	await cdp.send('Network.enable', {}, s);
	for (const vp of viewports) {
		const what = `${name} at ${vp.name} width (${vp.width} px)`;
		await cdp.send('Emulation.setDeviceMetricsOverride', {
			width: vp.width, height: vp.height,
			deviceScaleFactor: vp.scale, mobile: vp.mobile,
		}, s);
		const loaded = cdp.once('Page.loadEventFired', s);
		await cdp.send('Page.navigate', { url }, s);
		await loaded;
		const r = JSON.parse((await cdp.send('Runtime.evaluate',
			{ expression: measure, returnByValue: true }, s))
			.result.value);
		if (r.nbad)
			fail(`${what}: nothing clipped or too wide`,
			     [`${r.nbad} element(s):`, ...r.bad]);
		else
			pass(`${what}: nothing clipped or too wide`);
		if (r.verdictOnFirstScreen && r.verdict.length > 20)
			pass(`${what}: the verdict is whole on the first screen`);
		else
			fail(`${what}: the verdict is whole on the first screen`,
			     `"${r.verdict.slice(0, 80)}"`);
		await cdp.send('Runtime.evaluate', { expression: axe }, s);
		const v = JSON.parse((await cdp.send('Runtime.evaluate', {
			expression: axeRun, awaitPromise: true,
			returnByValue: true,
		}, s)).result.value);
		const grave = v.filter((x) => x.impact === 'serious' ||
					 x.impact === 'critical');
		if (grave.length)
			fail(`${what}: axe-core finds no serious or critical violation`,
			     grave.map((x) => `${x.impact} ${x.id}: ${x.help} ` +
					 `(${x.nodes.join(', ')})`));
		else
			pass(`${what}: axe-core finds no serious or critical ` +
			     `violation (${v.length} minor)`);
		if (shots.includes(name)) {
			const shot = await cdp.send('Page.captureScreenshot', {
				format: 'png', captureBeyondViewport: true,
				clip: { x: 0, y: 0, width: vp.width,
					height: Math.min(r.height, 16000), scale: 1 },
			}, s);
			const png = join(outDir, `report-${name}-${vp.name}.png`);
			writeFileSync(png, Buffer.from(shot.data, 'base64'));
			console.log(`# screenshot: ${png}`);
		}
	}
	const foreign = requests.filter((u) => u !== url);
	if (foreign.length)
		fail(`${name}: the page requests nothing but itself`,
		     foreign.slice(0, 5));
	else
		pass(`${name}: the page requests nothing but itself ` +
		     `(${requests.length} request(s), all its own file)`);
	await cdp.send('Target.closeTarget', { targetId });
}

const axe = readFileSync(axePath, 'utf8');
let browser;
try {
	browser = launch();
	const cdp = connect(browser.proc);
	await cdp.send('Browser.getVersion');
	for (const [name, file] of pages)
		await check(cdp, name, file, axe);
} catch (e) {
	fail('the browser checks ran', String(e && e.message || e));
} finally {
	if (browser) {
		browser.proc.kill('SIGTERM');
		await new Promise((ok) => {
			const t = setTimeout(() => {
				browser.proc.kill('SIGKILL');
				ok();
			}, 5000);
			browser.proc.on('exit', () => {
				clearTimeout(t);
				ok();
			});
		});
		rmSync(browser.profile, { recursive: true, force: true });
	}
}
process.exit(failed ? 1 : 0);
