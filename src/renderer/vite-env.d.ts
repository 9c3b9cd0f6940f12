// Vite's ambient types: lets TypeScript accept `import './styles.css'` and `import.meta.env`.
/// <reference types="vite/client" />
