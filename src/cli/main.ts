// endo-vault command line: start, init, rotate-key, jobs, job.
// Each command's module is loaded when that command runs: `start` then does not load the MQTT client
// (~150 ms of the start-up), and `job` does not load the service.
import { Command } from 'commander'
import { ConfigError } from '../core/config.js'
import type { JobOptions } from './job-command.js'

const program = new Command()
  .name('endo-vault')
  .description('Endo-style job service on a Meshblu-compatible MQTT device bus, with an end-to-end encrypted vault.\nConfiguration comes from the environment (see docs/configuration.md).')

program.command('start').description('start the service (creates the data directory and service device on first run)').action(async () => { await (await import('./start-command.js')).startCommand() })
program.command('init').description('first-run setup only: data directory, token pepper, service key and device, meshblu.json').action(async () => { await (await import('./init-command.js')).initCommand() })
program.command('rotate-key').description('generate a new service key and re-wrap every credentials data key (run while the service is stopped)').action(async () => { await (await import('./rotate-key-command.js')).rotateKeyCommand() })
program.command('jobs').description('list the job types with their titles').action(async () => { await (await import('./jobs-command.js')).jobsCommand() })
program.command('job <jobType>')
  .description('send a job as a device over MQTT and print the reply as YAML (exit 1 on a 4xx/5xx reply)')
  .requiredOption('--auth <file>', 'JSON file with the sending device: {uuid, token, userUuid?, hostname?, mqttPort?}')
  .option('--data <file>', 'job data as a YAML or JSON file (default: {})')
  .option('--to <uuid>', 'the user device to send to (default: auth file userUuid)')
  .option('--timeout <ms>', 'how long to wait for the reply', '15000')
  .action(async (jobType: string, options: JobOptions) => { await (await import('./job-command.js')).jobCommand(jobType, options) })

try {
  await program.parseAsync(process.argv)
} catch (error) {
  // a setting the operator has to change: say which, without a stack trace
  if (!(error instanceof ConfigError)) throw error
  process.stderr.write(`endo-vault: ${error.message}\n`)
  process.exitCode = 1
}
