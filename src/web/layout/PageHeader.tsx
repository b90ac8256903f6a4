import { Header, Title } from '@trussworks/react-uswds';

export function PageHeader() {
  return (
    <Header basic>
      <div className="usa-nav-container">
        <div className="usa-navbar">
          <Title>
            <a href="/" title="Whereabouts home" aria-label="Whereabouts home">
              Whereabouts
            </a>
          </Title>
        </div>
      </div>
    </Header>
  );
}
