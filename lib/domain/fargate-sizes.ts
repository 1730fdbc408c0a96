/**
 * The task cpu/memory pairs Fargate accepts (ECS developer guide, "Task CPU and memory" / "Troubleshoot Amazon ECS
 * task definition invalid CPU or memory errors"; RegisterTaskDefinition answers anything else with
 * ClientException "Invalid 'cpu' setting for task"). Memory in MiB; 8 and 16 vCPU need Linux platform 1.4.0+.
 */
const GiB = 1024;
const range = (from: number, to: number, step: number) => Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);

export const FARGATE_MEMORY_BY_CPU: ReadonlyMap<number, readonly number[]> = new Map([
  [256, [512, 1 * GiB, 2 * GiB]],
  [512, range(1 * GiB, 4 * GiB, GiB)],
  [1024, range(2 * GiB, 8 * GiB, GiB)],
  [2048, range(4 * GiB, 16 * GiB, GiB)],
  [4096, range(8 * GiB, 30 * GiB, GiB)],
  [8192, range(16 * GiB, 60 * GiB, 4 * GiB)],
  [16384, range(32 * GiB, 120 * GiB, 8 * GiB)],
]);

/** Why Fargate would refuse this pair, or undefined when it accepts it. */
export function fargateSizeProblem(cpu: number, memory: number): string | undefined {
  const allowed = FARGATE_MEMORY_BY_CPU.get(cpu);
  if (!allowed) return `FARGATE needs cpu ${[...FARGATE_MEMORY_BY_CPU.keys()].join(', ')}; got ${cpu}`;
  if (allowed.includes(memory)) return undefined;
  const listed = allowed.length <= 4 ? allowed.join(', ') : `${allowed[0]}-${allowed[allowed.length - 1]} in steps of ${(allowed[1] ?? 0) - (allowed[0] ?? 0)}`;
  return `FARGATE with cpu ${cpu} needs memory ${listed} MiB; got ${memory}`;
}
