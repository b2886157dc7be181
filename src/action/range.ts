import { KeyfenceError } from '../errors.js';
import { git } from '../sources/git.js';
import type { Mode } from './inputs.js';

/** Which commits the action scans. */
export type Selection =
  | { kind: 'range'; range: string; description: string }
  | { kind: 'full'; description: string }
  | { kind: 'nothing'; description: string };

type Payload = Record<string, unknown>;

const ZERO = /^0+$/;
const FETCH_DEPTH_HINT = 'set fetch-depth: 0 on actions/checkout';

const table = (value: unknown): Payload =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Payload) : {};
const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

async function succeeds(args: string[], cwd: string): Promise<boolean> {
  try {
    await git(args, cwd);
    return true;
  } catch {
    return false;
  }
}

const hasCommit = (rev: string, cwd: string) => succeeds(['cat-file', '-e', `${rev}^{commit}`], cwd);
const connected = (base: string, head: string, cwd: string) => succeeds(['merge-base', base, head], cwd);

/** Fetches what is missing, deepening a shallow clone as far as needed, but no further. */
class Fetcher {
  constructor(
    private readonly cwd: string,
    private readonly log: (line: string) => void,
  ) {}

  private async shallow(): Promise<boolean> {
    return (await git(['rev-parse', '--is-shallow-repository'], this.cwd)).trim() === 'true';
  }

  private async fetch(args: string[]): Promise<boolean> {
    this.log(`keyfence: git fetch ${args.join(' ')}`);
    return succeeds(['fetch', '--no-tags', '--quiet', ...args], this.cwd);
  }

  /**
   * Makes `base` and `head` present with a common ancestor. `refspecs` name what to fetch for
   * them; `depth` is the first guess (the pull request's commit count, say), doubled each time.
   */
  async connect(base: string, head: string, refspecs: string[], depth: number, what: string): Promise<void> {
    if (await this.ready(base, head)) return;
    if (!(await succeeds(['remote', 'get-url', 'origin'], this.cwd))) {
      throw new KeyfenceError(
        `${what}: the checkout lacks the commits to compare and has no origin remote to fetch them from; ${FETCH_DEPTH_HINT}`,
      );
    }
    for (let current = Math.max(depth, 2), tries = 0; tries < 6; current *= 4, tries++) {
      const shallow = await this.shallow();
      if (!shallow && tries > 0) break;
      await this.fetch(
        shallow || tries === 0 ? [`--depth=${current}`, 'origin', ...refspecs] : ['origin', ...refspecs],
      );
      if (await this.ready(base, head)) return;
    }
    if (await this.shallow()) {
      await this.fetch(['--unshallow', 'origin', ...refspecs]);
      if (await this.ready(base, head)) return;
    }
    throw new KeyfenceError(
      `${what}: cannot find both ${base.slice(0, 12)} and ${head.slice(0, 12)} with a common history, even after fetching; ${FETCH_DEPTH_HINT}`,
    );
  }

  /**
   * Makes the history whole: a shallow clone is unshallowed from origin. A scan of all of a
   * branch's history in a clone that stays shallow would scan less than it says: that is an error.
   */
  async whole(what: string): Promise<void> {
    if (!(await this.shallow())) return;
    if (!(await succeeds(['remote', 'get-url', 'origin'], this.cwd))) {
      throw new KeyfenceError(
        `${what}: the checkout is shallow and has no origin remote to fetch the rest of the history from; ${FETCH_DEPTH_HINT}`,
      );
    }
    await this.fetch(['--unshallow', 'origin']);
    if (await this.shallow()) {
      throw new KeyfenceError(
        `${what}: the checkout is shallow and git fetch --unshallow origin did not complete it; ${FETCH_DEPTH_HINT}`,
      );
    }
  }

  /** Both commits are here and share history. */
  private async ready(base: string, head: string): Promise<boolean> {
    return (
      (await hasCommit(base, this.cwd)) &&
      (await hasCommit(head, this.cwd)) &&
      connected(base, head, this.cwd)
    );
  }
}

/** The event the run was triggered by, as the action sees it. */
export interface EventContext {
  name: string;
  payload: Payload;
  mode: Mode;
  cwd: string;
  log: (line: string) => void;
}

function kindOf(context: EventContext): 'pull-request' | 'push' | 'merge-group' | 'full' {
  if (context.mode === 'full') return 'full';
  if (context.mode === 'pull-request') return 'pull-request';
  if (context.mode === 'push') return 'push';
  if (context.name === 'pull_request' || context.name === 'pull_request_target') return 'pull-request';
  if (context.name === 'push') return 'push';
  if (context.name === 'merge_group') return 'merge-group';
  return 'full';
}

async function pullRequest(context: EventContext, fetcher: Fetcher): Promise<Selection> {
  const pr = table(context.payload.pull_request);
  const base = text(table(pr.base).sha);
  const head = text(table(pr.head).sha);
  if (!base || !head)
    throw new KeyfenceError(
      `event ${context.name}: the payload has no pull_request.base.sha / head.sha (use mode: full or push)`,
    );
  if (base === head)
    return {
      kind: 'nothing',
      description: `pull request: base and head are the same commit (${head.slice(0, 12)}), nothing to scan`,
    };
  const commits = typeof pr.commits === 'number' ? pr.commits : 50;
  await fetcher.connect(base, head, [base, head], commits + 1, 'pull request');
  const count = (await git(['rev-list', '--count', `${base}..${head}`], context.cwd)).trim();
  return {
    kind: 'range',
    range: `${base}..${head}`,
    description: `pull request: ${count} commit(s) ${base.slice(0, 12)}..${head.slice(0, 12)}`,
  };
}

async function mergeGroup(context: EventContext, fetcher: Fetcher): Promise<Selection> {
  const group = table(context.payload.merge_group);
  const base = text(group.base_sha);
  const head = text(group.head_sha);
  if (!base || !head)
    throw new KeyfenceError('event merge_group: the payload has no merge_group.base_sha / head_sha');
  if (base === head)
    return {
      kind: 'nothing',
      description: 'merge group: base and head are the same commit, nothing to scan',
    };
  await fetcher.connect(base, head, [base, head], 50, 'merge group');
  return {
    kind: 'range',
    range: `${base}..${head}`,
    description: `merge group: ${base.slice(0, 12)}..${head.slice(0, 12)}`,
  };
}

/** Commits of `head` that are not on the default branch (a new branch, or a force push that rewrote history). */
async function notOnDefaultBranch(
  context: EventContext,
  fetcher: Fetcher,
  head: string,
  why: string,
): Promise<Selection> {
  const repository = table(context.payload.repository);
  const defaultBranch = text(repository.default_branch) ?? text(repository.master_branch) ?? 'main';
  const ref = text(context.payload.ref);
  if (ref === `refs/heads/${defaultBranch}`) {
    // No commit to compare with: all of the branch's history is scanned, so all of it must be here.
    await fetcher.whole(`push (${why} on the default branch ${defaultBranch})`);
    const count = (await git(['rev-list', '--count', head], context.cwd)).trim();
    return {
      kind: 'range',
      range: head,
      description: `push: ${why} on the default branch ${defaultBranch}; scanning all of its history, ${count} commit(s)`,
    };
  }
  const remote = `refs/remotes/origin/${defaultBranch}`;
  await fetcher.connect(remote, head, [`+refs/heads/${defaultBranch}:${remote}`, head], 50, `push (${why})`);
  const count = (await git(['rev-list', '--count', `${remote}..${head}`], context.cwd)).trim();
  return {
    kind: 'range',
    range: `${remote}..${head}`,
    description: `push: ${why}; ${count} commit(s) not on ${defaultBranch}`,
  };
}

async function push(context: EventContext, fetcher: Fetcher): Promise<Selection> {
  const before = text(context.payload.before);
  const after = text(context.payload.after);
  if (!after)
    throw new KeyfenceError(`event ${context.name}: the payload has no "after" commit (use mode: full)`);
  if (ZERO.test(after))
    return { kind: 'nothing', description: 'push: the branch was deleted, nothing to scan' };
  if (before === after)
    return {
      kind: 'nothing',
      description: `push: before and after are the same commit (${after.slice(0, 12)}), nothing to scan`,
    };
  if (!before || ZERO.test(before)) return notOnDefaultBranch(context, fetcher, after, 'new branch');
  if (!(await hasCommit(after, context.cwd))) await fetcher.connect(after, after, [after], 2, 'push');
  if (context.payload.forced === true) return notOnDefaultBranch(context, fetcher, after, 'force push');
  // Not forced: the pushed commits are before..after. Without `before` they cannot be told apart
  // from the rest of the history, and a guess would scan less: connect() fails with the fix.
  const branch = text(context.payload.ref)?.replace(/^refs\/heads\//, '');
  const what = `push of ${before.slice(0, 12)}..${after.slice(0, 12)}${branch ? ` to ${branch}` : ''}`;
  await fetcher.connect(before, after, [before, after], 50, what);
  const count = (await git(['rev-list', '--count', `${before}..${after}`], context.cwd)).trim();
  return {
    kind: 'range',
    range: `${before}..${after}`,
    description: `push: ${count} commit(s) ${before.slice(0, 12)}..${after.slice(0, 12)}`,
  };
}

/** Works out the commits to scan from the event and the mode input. */
export async function selectCommits(context: EventContext): Promise<Selection> {
  const fetcher = new Fetcher(context.cwd, context.log);
  switch (kindOf(context)) {
    case 'pull-request':
      return pullRequest(context, fetcher);
    case 'push':
      return push(context, fetcher);
    case 'merge-group':
      return mergeGroup(context, fetcher);
    default:
      // A full-history scan of a shallow clone would miss most of it.
      await fetcher.whole(`${context.name || 'manual'} run (the full history of every ref)`);
      return { kind: 'full', description: `${context.name || 'manual'} run: the full history of every ref` };
  }
}
