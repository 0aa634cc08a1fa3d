export function App() {
  return (
    <div className="app">
      <header className="app-header">evscope</header>
      <main>Drop a TIFF stack here.</main>
    </div>
  );
}
