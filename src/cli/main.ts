export async function main(argv: string[]): Promise<number> {
  console.log('evscope', argv.join(' '));
  return 0;
}
