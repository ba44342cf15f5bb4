/** Placeholder: the patients list arrives on branch issue8-patients. */
export function PatientsPage() {
  return (
    <section aria-labelledby="patients-title">
      <h1 id="patients-title">Patients</h1>
      <p>The patients list is on its way.</p>
    </section>
  );
}
