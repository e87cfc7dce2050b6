// The subset of better-sqlite3 (v12) the host uses. The package ships no typings and @types/better-sqlite3 is
// not a dependency of this project, so the host declares what it calls.
declare module 'better-sqlite3' {
    namespace Database {
        interface RunResult {
            changes: number;
            lastInsertRowid: number | bigint;
        }

        interface Statement<Params extends unknown[] = unknown[], Row = unknown> {
            run(...params: Params): RunResult;
            get(...params: Params): Row | undefined;
            all(...params: Params): Row[];
        }

        interface Transaction<F extends (...args: never[]) => unknown> {
            (...args: Parameters<F>): ReturnType<F>;
            immediate(...args: Parameters<F>): ReturnType<F>;
        }

        interface Database {
            readonly open: boolean;
            readonly name: string;
            prepare<Params extends unknown[] = unknown[], Row = unknown>(sql: string): Statement<Params, Row>;
            exec(sql: string): this;
            pragma(source: string, options?: { simple?: boolean }): unknown;
            transaction<F extends (...args: never[]) => unknown>(fn: F): Transaction<F>;
            close(): this;
        }

        interface Options {
            readonly?: boolean;
            fileMustExist?: boolean;
            timeout?: number;
        }
    }

    const Database: {
        new (filename: string, options?: Database.Options): Database.Database;
    };

    export = Database;
}
