// serve.mjs: serves the built dashboard (build/) on 127.0.0.1 only, with no
// dependency beyond Node.js.  node serve.mjs PORT [DIR]
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const port = Number(process.argv[2] || 3000);
const root = path.resolve(process.argv[3] || new URL('./build', import.meta.url).pathname);
const types = {
	'.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
	'.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
	'.ico': 'image/x-icon', '.wasm': 'application/wasm', '.parquet': 'application/octet-stream',
	'.webmanifest': 'application/manifest+json', '.arrow': 'application/octet-stream'
};

// The file a URL path names: itself, PATH.html or PATH/index.html, never outside root.
function resolve(urlPath) {
	let p;
	try {
		p = decodeURIComponent(urlPath.split('?')[0]);
	} catch {
		return null;
	}
	const base = path.resolve(root, '.' + path.posix.normalize('/' + p));
	if (base !== root && !base.startsWith(root + path.sep)) return null;
	for (const f of [base, base + '.html', path.join(base, 'index.html')]) {
		try {
			if (fs.lstatSync(f).isFile()) return f;
		} catch {
			/* next */
		}
	}
	return null;
}

// Only requests addressed to this server by a loopback name (no DNS
// rebinding), files only (a symlink is not followed), never a crash.
const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
const plain = (res, code, text) => {
	res.writeHead(code, { 'content-type': 'text/plain', 'x-content-type-options': 'nosniff' });
	res.end(text + '\n');
};

http
	.createServer((req, res) => {
		if (!hosts.has(req.headers.host || '')) return plain(res, 421, 'misdirected request');
		const file = resolve(req.url || '/');
		if (!file) return plain(res, 404, 'not found');
		const stream = fs.createReadStream(file);
		stream.on('error', () => (res.headersSent ? res.destroy() : plain(res, 500, 'cannot read')));
		stream.on('open', () => {
			res.writeHead(200, {
				'content-type': types[path.extname(file)] || 'application/octet-stream',
				'x-content-type-options': 'nosniff'
			});
			stream.pipe(res);
		});
	})
	.listen(port, '127.0.0.1', () => console.log(`dashboard on http://127.0.0.1:${port}/`));
