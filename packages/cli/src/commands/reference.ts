import type { Command, Option } from 'commander';

/** Every command under `root` with its full name (`jobs wait`), depth first. */
function commandsOf(root: Command, prefix = ''): { name: string; command: Command }[] {
  return root.commands.flatMap((command) => {
    const name = `${prefix}${command.name()}`;
    return [{ name, command }, ...commandsOf(command, `${name} `)];
  });
}

function flagsOf(options: readonly Option[]): string[] {
  return options.flatMap((option) =>
    [option.long, option.short].filter((flag): flag is string => Boolean(flag)),
  );
}

/** A bash completion script (zsh too, through bashcompinit) built from the command definitions. */
export function bashCompletion(program: Command): string {
  const cases = [{ name: '', command: program }, ...commandsOf(program)].map(({ name, command }) => {
    const words = [...command.commands.map((sub) => sub.name()), ...flagsOf(command.options)];
    return `    "${name}") words="${words.join(' ')}" ;;`;
  });
  return [
    '# sps completion: eval "$(sps completion)" in ~/.bashrc, or in ~/.zshrc after `autoload -U +X bashcompinit && bashcompinit`',
    '_sps() {',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: bash syntax, not a template
    '  local cur="${COMP_WORDS[COMP_CWORD]}" path="" word words=""',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: bash syntax, not a template
    '  for word in "${COMP_WORDS[@]:1:COMP_CWORD-1}"; do',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: bash syntax, not a template
    '    case "$word" in -*) ;; *) path="${path:+$path }$word" ;; esac',
    '  done',
    '  case "$path" in',
    ...cases,
    '  esac',
    '  COMPREPLY=($(compgen -W "$words" -- "$cur"))',
    '}',
    'complete -o default -F _sps sps',
    '',
  ].join('\n');
}

const roff = (text: string) =>
  text
    .replace(/\\/g, '\\\\')
    .replace(/^([.'])/gm, '\\&$1')
    .replace(/-/g, '\\-');

function optionLines(options: readonly Option[]): string[] {
  return options.flatMap((option) => ['.TP', `.B ${roff(option.flags)}`, roff(option.description)]);
}

/** The sps(1) manual page in roff, built from the command definitions. */
export function manPage(program: Command, exitCodes: Record<string, number>): string {
  const lines = [
    `.TH SPS 1 "" "sps ${program.version() ?? ''}" "Structured Prompt Service"`,
    '.SH NAME',
    `sps \\- ${roff(program.description())}`,
    '.SH SYNOPSIS',
    '.B sps',
    '[\\fIoptions\\fR] \\fIcommand\\fR [\\fIarguments\\fR]',
    '.SH DESCRIPTION',
    'Without arguments on a terminal, sps starts an interactive prompt and answer loop.',
    '.SH OPTIONS',
    ...optionLines(program.options),
    '.SH COMMANDS',
  ];
  for (const { name, command } of commandsOf(program)) {
    lines.push(`.SS "sps ${roff(name)} ${roff(command.usage())}"`, roff(command.description()));
    if (command.options.length > 0) lines.push('.RS', ...optionLines(command.options), '.RE');
  }
  lines.push('.SH EXIT STATUS');
  for (const [name, code] of Object.entries(exitCodes)) lines.push('.TP', `.B ${code}`, name);
  lines.push(
    '.SH ENVIRONMENT',
    '.TP',
    '.B SPS_URL, SPS_API_KEY, SPS_PROFILE',
    'Override the profile from the settings file.',
    '.TP',
    '.B SPS_CONFIG',
    'Path of the settings file.',
    '.TP',
    '.B NO_COLOR',
    'No colours in the output.',
    '.SH FILES',
    '.TP',
    '.I $XDG_CONFIG_HOME/sps/config.yaml',
    'Profiles (default: ~/.config/sps/config.yaml).',
  );
  return `${lines.join('\n')}\n`;
}
