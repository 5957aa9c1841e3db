export default function Page() {
  return <h1>schema-builder</h1>;
}
