// check.mjs: opens every page of the built dashboard in headless Chromium
// (playwright-core, Debian's /usr/bin/chromium) and checks that it rendered:
// each page's charts are drawn with data (coloured marks on the canvas, not
// only grey axes), its tables have rows, no error banner or empty-chart
// message shows, the console has no error, and no request leaves 127.0.0.1.
// Saves a screenshot of each page.  Prints "NAME ... ok" / "NAME ... FAILED"
// and "N passed, N failed".
//
//   node check.mjs BASE_URL SCREENSHOT_DIR
import { chromium } from 'playwright-core';
import fs from 'node:fs';

const base = (process.argv[2] || 'http://127.0.0.1:3000').replace(/\/$/, '');
const shots = process.argv[3] || 'screenshots';
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';

// page -> [charts, tables] it must show
const pages = {
	'/': [2, 2],
	'/time-to-value': [3, 1],
	'/adoption': [4, 1],
	'/retention': [2, 0],
	'/feedback': [3, 0],
	'/questions': [4, 1]
};

let passed = 0;
let failed = 0;
function check(name, ok, why) {
	if (ok) {
		console.log(`${name} ... ok`);
		passed++;
	} else {
		console.log(`${name} ... FAILED${why ? ' (' + why + ')' : ''}`);
		failed++;
	}
}

fs.mkdirSync(shots, { recursive: true });
const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
try {
	for (const [route, [charts, tables]] of Object.entries(pages)) {
		const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
		const page = await context.newPage();
		const outside = [];
		const errors = [];
		// every request outside 127.0.0.1 is recorded and refused
		await page.route('**/*', (r) => {
			const u = new URL(r.request().url());
			if (u.protocol === 'data:' || u.protocol === 'blob:' || u.hostname === '127.0.0.1') return r.continue();
			outside.push(u.href);
			return r.abort();
		});
		page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
		page.on('pageerror', (e) => errors.push(String(e)));
		const name = `dashboard ${route}`;
		const response = await page.goto(base + route, { waitUntil: 'networkidle', timeout: 120000 });
		check(`${name}: loads`, response && response.ok(), response ? `HTTP ${response.status()}` : 'no response');
		// charts: wait until the expected number of ECharts canvases exist, then let animations end
		await page
			.waitForFunction((n) => document.querySelectorAll('[_echarts_instance_] canvas').length >= n, charts, {
				timeout: 60000
			})
			.catch(() => {});
		await page.waitForTimeout(2500);
		const drawn = await page.evaluate(() =>
			[...document.querySelectorAll('[_echarts_instance_] canvas')].map((c) => {
				// coloured pixels: saturation well above the greys of axes and labels
				const ctx = c.getContext('2d');
				if (!ctx || c.width === 0 || c.height === 0) return 0;
				const d = ctx.getImageData(0, 0, c.width, c.height).data;
				let coloured = 0;
				for (let i = 0; i < d.length; i += 16) {
					const r = d[i], g = d[i + 1], b = d[i + 2], a = d[i + 3];
					if (a > 128 && Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured++;
				}
				return coloured;
			})
		);
		check(`${name}: ${charts} charts drawn`, drawn.length === charts, `${drawn.length} found`);
		check(
			`${name}: every chart shows data`,
			drawn.length > 0 && drawn.every((n) => n > 50),
			`coloured pixels per chart: ${drawn.join(', ')}`
		);
		if (tables > 0) {
			const rows = await page.evaluate(() =>
				[...document.querySelectorAll('table')].map((t) => [...t.querySelectorAll('tr')].filter((r) => r.querySelector('td')).length)
			);
			check(
				`${name}: ${tables} tables with rows`,
				rows.length >= tables && rows.every((n) => n > 0),
				`rows per table: ${rows.join(', ')}`
			);
		}
		const banners = await page.evaluate(() => {
			const text = document.body.innerText;
			const found = [];
			for (const m of ['No Records', 'No Results', 'Error in', 'Query Error', 'Missing required', 'does not exist', 'Dataset is empty', 'Catalog Error', 'Binder Error', 'Parser Error'])
				if (text.includes(m)) found.push(m);
			return found;
		});
		check(`${name}: no error banner or empty chart`, banners.length === 0, banners.join('; '));
		check(`${name}: no console error`, errors.length === 0, errors.slice(0, 3).join(' | '));
		check(`${name}: no request leaves 127.0.0.1`, outside.length === 0, outside.slice(0, 3).join(' '));
		const file = `${shots}/${route === '/' ? 'index' : route.slice(1)}.png`;
		await page.screenshot({ path: file, fullPage: true });
		await context.close();
	}
} finally {
	await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
