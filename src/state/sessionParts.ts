// The features a session file carries, one line each (src/state/sessionPart.ts explains a part).
// Order matters on restore: post steps before the localizations they process, the movie last.
import './postSession';
import './localizeSession';
import './markersSession';
import './tracksSession';
import './registrationSession';
import './calciumSession';
import './experimentSession';
import './movieSession';
import './viewerSession';
import './reconSession';
