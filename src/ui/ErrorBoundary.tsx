// A crash in one area of the workbench shows what broke there instead of blanking the screen.
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  area: string;
  children: ReactNode;
}

export class ErrorBoundary extends Component<Props, { error: Error | null }> {
  override state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.warn(`evscope: the ${this.props.area} crashed`, error, info.componentStack);
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="crash" role="alert">
        <strong>The {this.props.area} stopped working.</strong>
        <pre>{error.message}</pre>
        <button type="button" className="btn" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </div>
    );
  }
}
