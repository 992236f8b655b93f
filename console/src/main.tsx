// The console's entry: TDesign's styles, the app into #root.
import { createRoot } from 'react-dom/client';
import { App } from './App';
import 'tdesign-react/es/style/index.css';
import './app.css';

createRoot(document.getElementById('root')!).render(<App />);
