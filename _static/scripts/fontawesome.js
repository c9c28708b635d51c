// Deliberately empty: it replaces the theme's file of the same name (1.5 MB). The theme
// draws its icons twice over, with Font Awesome's web fonts through its stylesheet and with
// this script, which redraws every icon as an SVG; the stylesheet alone draws the same icons,
// so no page of the book downloads the script (tests/test_site.py checks the icons show).
