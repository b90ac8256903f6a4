import { Footer, GridContainer } from '@trussworks/react-uswds';

export function PageFooter() {
  return (
    <Footer
      size="slim"
      primary={
        <GridContainer className="padding-y-2">
          <p>
            Whereabouts is open-source software for the agencies responsible for unaccompanied children.{' '}
            <a className="usa-footer__primary-link display-inline padding-0" href="/api/docs">
              API documentation
            </a>
          </p>
        </GridContainer>
      }
      secondary={<p className="font-sans-3xs">Demonstration data is synthetic.</p>}
    />
  );
}
