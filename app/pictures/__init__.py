"""Pictures of the data, the Making Data Count way: charts as SVG and PNG, and the icons."""
