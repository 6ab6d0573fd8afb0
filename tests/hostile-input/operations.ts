/** The operations the hostile values are sent through, each with the argument under test as a variable. */

export const USERS = `query($after: String, $search: String, $first: Int) { users(first: $first, after: $after, search: $search) { totalCount } }`;
export const AUDIT = `query($after: String, $action: String) { auditLog(first: 5, after: $after, action: $action) { totalCount } }`;
export const LOGIN = `mutation($email: String!) { login(email: $email, password: "asky-demo-2026") { accessToken } }`;
export const USER = `query($id: ID!) { user(id: $id) { id } }`;
export const UPDATE_USER = `mutation($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { id } }`;
export const DELETE_USER = `mutation($id: ID!) { deleteUser(id: $id) { id } }`;
export const CREATE_USER = `mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`;
export const DISPENSERS = `query($after: String, $ward: String, $search: String) { dispensers(after: $after, ward: $ward, search: $search) { totalCount } }`;
export const CATALOG = `query($after: String, $search: String) { catalog(after: $after, search: $search) { totalCount } }`;
export const DISPENSER = `query($id: ID!) { dispenser(id: $id) { id } }`;
export const MEDICATION = `query($id: ID!) { medication(id: $id) { id } }`;
export const BY_QR = `query($payload: String!) { dispenserByQr(payload: $payload) { id } }`;
export const EXPIRING = `query($ward: String, $dispenserId: ID) { expiringLots(withinDays: 30, ward: $ward, dispenserId: $dispenserId) { lotNumber } }`;
export const CREATE_DISPENSER = `mutation($input: CreateDispenserInput!) { createDispenser(input: $input) { id } }`;
export const UPDATE_DISPENSER = `mutation($id: ID!, $input: UpdateDispenserInput!) { updateDispenser(id: $id, input: $input) { id } }`;
export const CREATE_MEDICATION = `mutation($input: CreateMedicationInput!) { createMedication(input: $input) { id } }`;
export const UPDATE_MEDICATION = `mutation($id: ID!, $input: UpdateMedicationInput!) { updateMedication(id: $id, input: $input) { id } }`;
export const CREATE_MATERIAL = `mutation($input: CreateMaterialInput!) { createMaterial(input: $input) { id } }`;
export const ADJUST = `mutation($input: AdjustStockInput!) { adjustStock(input: $input) { quantity } }`;
export const PAR_LEVELS = `mutation($dispenserId: ID!, $itemId: ID!, $parLevel: Int!, $minLevel: Int!) {
  setParLevels(dispenserId: $dispenserId, itemId: $itemId, parLevel: $parLevel, minLevel: $minLevel) { quantity }
}`;
export const REQUESTS = `query($first: Int, $after: String, $ward: String, $dispenserId: ID) {
  requests(first: $first, after: $after, ward: $ward, dispenserId: $dispenserId) { totalCount }
}`;
export const MY_REQUESTS = `query($after: String) { me { id requests(after: $after) { totalCount } } }`;
export const REQUEST = `query($id: ID!) { request(id: $id) { id } }`;
export const REQUEST_EVENT = `query($id: ID!) { requestEvent(id: $id) { cursor } }`;
export const CREATE_REQUEST = `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id } }`;
export const CHANGE_STATUS = `mutation($input: ChangeRequestStatusInput!) { changeRequestStatus(input: $input) { id } }`;
export const RECORD_PICK = `mutation($input: RecordPickInput!) { recordPick(input: $input) { id } }`;
export const CONFIRM_RECEIPT = `mutation($input: ConfirmReceiptInput!) { confirmReceipt(input: $input) { id } }`;
export const BOOK = `query($list: ControlList!, $itemId: ID, $from: DateTime!, $to: DateTime!) { controlledBook(list: $list, itemId: $itemId, from: $from, to: $to) { list } }`;
export const CLOSE_BOOK = `mutation($month: String!) { closeControlledBookPeriod(list: A1, month: $month) { month } }`;
export const TURNAROUND = `query($from: DateTime!, $to: DateTime!, $ward: String) { turnaround(from: $from, to: $to, groupBy: [WARD], ward: $ward) { count } }`;
