import path from 'node:path';

import { DEFAULT_PERSISTENCE_SWITCHES, type PersistenceSwitches } from './engine/context';
import { formatPauseWrite, parsePauseWrite, type PauseWriteSpec } from './engine/faults';
import { defaultAppZip, repoRoot } from './paths';

export const USAGE = `Usage: node build/host.cjs [options]     (npm start -- [options] packages the app first)

  --port N                 first instance's port (default: $PORT or 3000; 0 = any free port)
  --bind ADDR              address to listen on (default 127.0.0.1)
  --instances N            run N instances over one shared store, on ports N, N+1, … (default 1)
  --data-dir DIR           the durable store (default: data/ in the repo)
  --fresh                  delete the data dir first
  --app ZIP                the package to install or update on start (default: dist/<slug>_<version>.zip)
  --no-install             load what is installed, do not install/update the package
  --persistence-update M   updateByAssociations flavour: throws-after-write (default) | returns-id
  --persistence-remove M   removeByAssociations flavour: one (default) | all
  --persistence-purge M    what uninstalling deletes of the app's persistence: one record (default) | all
  --pause-write N:M[:METHOD][@I]
                           hold the Nth persistence write for M ms before it lands (METHOD: any-write (default),
                           createWithAssociations, updateByAssociations, removeByAssociations, …; only on
                           instance I, default every instance, each counting its own writes); repeatable
  --message-custom-fields  a fresh store starts with Message_CustomFields_Enabled = true
  --scheduler-poll MS      how often each instance looks for due app jobs scheduled elsewhere (default 1000;
                           Rocket.Chat's Agenda: 5000); an instance runs the jobs it scheduled itself when due
  --verbose                print every app log line (warnings and errors are always printed)
  --no-prompt              no interactive prompt even on a terminal
  --help
`;

export interface HostOptions {
    port: number;
    bind: string;
    instances: number;
    dataDir: string;
    fresh: boolean;
    appZip?: string;
    switches: PersistenceSwitches;
    /** --pause-write faults armed when an instance starts */
    pauseWrites: PauseWriteSpec[];
    messageCustomFields?: boolean;
    /** --scheduler-poll (ms) */
    schedulerPollMs?: number;
    verbose: boolean;
    prompt: boolean;
    /** internal: run as instance N of a cluster started by the supervisor */
    instanceIndex?: number;
}

export function parseCli(argv: string[]): HostOptions {
    const root = repoRoot();
    const opts: HostOptions = {
        port: process.env.PORT !== undefined ? Number(process.env.PORT) : 3000,
        bind: '127.0.0.1',
        instances: 1,
        dataDir: path.join(root, 'data'),
        fresh: false,
        appZip: defaultAppZip(root),
        switches: { ...DEFAULT_PERSISTENCE_SWITCHES },
        pauseWrites: [],
        verbose: false,
        prompt: true,
    };
    const args = [...argv];
    const value = (flag: string): string => {
        const v = args.shift();
        if (v === undefined || v.startsWith('--')) {
            throw new Error(`${flag} needs a value\n\n${USAGE}`);
        }
        return v;
    };
    while (args.length) {
        const raw = args.shift() as string;
        const [flag, inline] = raw.includes('=') ? [raw.slice(0, raw.indexOf('=')), raw.slice(raw.indexOf('=') + 1)] : [raw, undefined];
        if (inline !== undefined) {
            args.unshift(inline);
        }
        switch (flag) {
            case '--port':
                opts.port = Number(value(flag));
                break;
            case '--bind':
                opts.bind = value(flag);
                break;
            case '--instances':
                opts.instances = Number(value(flag));
                break;
            case '--data-dir':
                opts.dataDir = path.resolve(value(flag));
                break;
            case '--fresh':
                opts.fresh = true;
                break;
            case '--app':
                opts.appZip = path.resolve(value(flag));
                break;
            case '--no-install':
                opts.appZip = undefined;
                break;
            case '--persistence-update': {
                const v = value(flag);
                if (v !== 'throws-after-write' && v !== 'returns-id') throw new Error(`--persistence-update: throws-after-write | returns-id, not ${v}`);
                opts.switches.updateByAssociations = v;
                break;
            }
            case '--persistence-remove': {
                const v = value(flag);
                if (v !== 'one' && v !== 'all') throw new Error(`--persistence-remove: one | all, not ${v}`);
                opts.switches.removeByAssociations = v;
                break;
            }
            case '--persistence-purge': {
                const v = value(flag);
                if (v !== 'one' && v !== 'all') throw new Error(`--persistence-purge: one | all, not ${v}`);
                opts.switches.purge = v;
                break;
            }
            case '--pause-write':
                opts.pauseWrites.push(parsePauseWrite(value(flag)));
                break;
            case '--scheduler-poll': {
                const v = Number(value(flag));
                if (!Number.isInteger(v) || v < 10 || v > 600_000) throw new Error(`--scheduler-poll: milliseconds from 10 to 600000, not ${v}`);
                opts.schedulerPollMs = v;
                break;
            }
            case '--message-custom-fields':
                opts.messageCustomFields = true;
                break;
            case '--verbose':
                opts.verbose = true;
                break;
            case '--no-prompt':
                opts.prompt = false;
                break;
            case '--instance-index':
                opts.instanceIndex = Number(value(flag));
                break;
            case '--help':
            case '-h':
                process.stdout.write(USAGE);
                process.exit(0);
                break;
            default:
                throw new Error(`Unknown option ${raw}\n\n${USAGE}`);
        }
    }
    if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) throw new Error(`--port: ${opts.port} is not a port`);
    if (!Number.isInteger(opts.instances) || opts.instances < 1) throw new Error(`--instances: ${opts.instances} is not a positive integer`);
    return opts;
}

/** The arguments a supervisor gives instance `index` (the same store and switches; only the first installs). */
export function instanceArgs(opts: HostOptions, index: number, port: number): string[] {
    const args = [
        '--instance-index',
        String(index),
        '--port',
        String(port),
        '--bind',
        opts.bind,
        '--data-dir',
        opts.dataDir,
        '--persistence-update',
        opts.switches.updateByAssociations,
        '--persistence-remove',
        opts.switches.removeByAssociations,
        '--persistence-purge',
        opts.switches.purge,
        '--no-prompt',
    ];
    for (const spec of opts.pauseWrites) args.push('--pause-write', formatPauseWrite(spec));
    if (index === 0 && opts.appZip) args.push('--app', opts.appZip);
    else args.push('--no-install');
    if (opts.messageCustomFields) args.push('--message-custom-fields');
    if (opts.schedulerPollMs !== undefined) args.push('--scheduler-poll', String(opts.schedulerPollMs));
    if (opts.verbose) args.push('--verbose');
    return args;
}
